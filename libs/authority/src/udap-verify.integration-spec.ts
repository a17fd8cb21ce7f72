import { createPrivateKey, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { verifyUdapJwt, type UdapTrust } from '@anchorage/udap';
import { opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { createOrganization } from './create-organization';
import type { Actor } from './deps';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';

const operator: Actor = { id: 'udap-verify-operator', role: 'operator' };
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

// The relying party's view of what the platform issues: a member server's signed_metadata, signed with
// a certificate the platform issued, verified by libs/udap against the community's anchor and the CRLs
// the platform publishes; after the platform revokes the certificate, the same JWT fails, and OpenSSL
// agrees on the certificate both times.
describe('UDAP signed metadata with a certificate the platform issued', () => {
  let p: Platform;
  const dir = tempDir('anchorage-udap-verify-');
  const host = `udap-${randomUUID().slice(0, 8)}.example.org`;
  const baseUrl = `https://${host}/fhir/r4`;

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
  });
  afterAll(() => p?.close());

  it('passes while the certificate is live, and fails as revoked once the platform revoked it', async () => {
    const c = await createCommunity(p, { name: 'UDAP verify', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'UDAP server org', sanUris: [baseUrl] }, operator);
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [baseUrl] });
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem }, operator);
    const leaf = issued.certificate.der!;
    const issuing = c.issuing.certificateDer!;

    // the CRLs as a relying party fetches them: by the CDP URL in each certificate
    const byUrl = () => new Map([c.root.id, c.issuing.id].map((id) => [p.urls.crl(id), p.repository.crl(id)!.body]));
    const trust = (): UdapTrust => {
      const crls = byUrl();
      return { anchors: [c.root.certificateDer!], crl: async (url) => crls.get(url) ?? null };
    };
    const now = new Date();
    const iat = Math.floor(now.getTime() / 1000);
    const claims = {
      iss: baseUrl, sub: baseUrl, iat, exp: iat + 3600, jti: randomUUID(),
      authorization_endpoint: `${baseUrl}/authorize`, token_endpoint: `${baseUrl}/token`, registration_endpoint: `${baseUrl}/register`,
    };
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', x5c: [b64(leaf), b64(issuing)] })
      .sign(createPrivateKey(csr.keyPem));
    const opts = { kind: 'signed-metadata' as const, now, expected: { iss: baseUrl } };

    const before = await verifyUdapJwt(jwt, trust(), opts);
    expect(before.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(before.valid).toBe(true);
    expect(before.chain?.length).toBe(3);
    const chain = { anchors: [c.root.certificateDer!], intermediates: [issuing], leaf };
    expect(opensslVerify(dir, { ...chain, crls: [...byUrl().values()] }).stdout).toMatch(/: OK/);

    // a JWT whose iss is not the certificate's SAN byte for byte fails even with a live certificate
    const slash = await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...claims, iss: `${baseUrl}/`, sub: `${baseUrl}/` })))
      .setProtectedHeader({ alg: 'RS256', x5c: [b64(leaf), b64(issuing)] })
      .sign(createPrivateKey(csr.keyPem));
    expect((await verifyUdapJwt(slash, trust(), { ...opts, expected: { iss: `${baseUrl}/` } })).findings.map((f) => f.code)).toContain('iss-trailing-slash-mismatch');

    await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, operator);
    const after = await verifyUdapJwt(jwt, trust(), { ...opts, now: new Date() });
    expect(after.valid).toBe(false);
    expect(after.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'revoked', severity: 'error', depth: 0 })]));
    const o = opensslVerify(dir, { ...chain, crls: [...byUrl().values()] });
    expect(o.stdout + o.stderr).toMatch(/certificate revoked/);
  });
});
