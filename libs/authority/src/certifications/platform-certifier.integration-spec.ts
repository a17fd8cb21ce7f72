import { randomUUID } from 'node:crypto';
import { describeCertificate } from '@anchorage/pki';
import { verifyUdapJwt } from '@anchorage/udap';
import { FakeClock, opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { issueCertificate } from '../issue-certificate';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { CertificationStatusIndex } from './certification-status';
import { communityTrust } from '../community-trust';
import { createPlatformCertifier, type CreatedPlatformCertifier } from './create-platform-certifier';
import { defineCertificationTemplate } from './define-certification-template';
import { issueCertification } from './issue-certification';
import { revokeCertification } from './revoke-certification';

const operator: Actor = { id: 'platform-certifier-operator', role: 'operator' };

// A certifier whose key the signer generated and holds: the platform issues certifications with it
// through the signer's certification purpose, audited before and after, and records them like uploaded
// ones; every refusal comes before the signature and writes nothing.
describe('certifications signed by a platform certifier', () => {
  let p: Platform;
  let c: CreatedCommunity;
  let certifier: CreatedPlatformCertifier;
  let appOrgId: string;
  let templateId: string;
  let status: CertificationStatusIndex;
  const clock = new FakeClock(new Date());
  const dir = tempDir('anchorage-platform-certifier-');
  const host = `pcert-${randomUUID().slice(0, 8)}.example.org`;
  const certifierUri = `https://certifier.${host}/udap`;
  const appUri = `https://app.${host}/client`;

  const rows = async () => Number((await p.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM certification')).rows[0].n);
  const signatures = async () => Number((await p.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE subject_type = 'certification' AND action LIKE 'signature.%'`)).rows[0].n);

  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
    c = await createCommunity(p, { name: 'Platform certifier', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    const certifierOrg = await createOrganization(p, { communityId: c.community.id, name: 'Community certification body', sanUris: [certifierUri, `https://short.${host}/udap`] }, operator);
    const appOrg = await createOrganization(p, { communityId: c.community.id, name: 'App maker', sanUris: [appUri, `https://app.${host}/unissued`] }, operator);
    appOrgId = appOrg.id;
    await issueCertificate(p, { organizationId: appOrg.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [appUri] }).csrPem }, operator);
    templateId = (await defineCertificationTemplate(p, { communityId: c.community.id, builtIn: 'tefca-basic-app' }, operator)).id;
    certifier = await createPlatformCertifier(p, { organizationId: certifierOrg.id, sanUri: certifierUri }, operator);
    status = new CertificationStatusIndex(p.db, clock);
  });
  afterAll(async () => {
    await status?.stop();
    await p?.close();
  });

  it('creates the certifier: a key held by the signer, certified by a udap-certifier certificate OpenSSL accepts', async () => {
    expect(certifier.certificate).toMatchObject({ profile: 'udap-certifier', status: 'issued', sanUris: [certifierUri] });
    // the certificate certifies the key the signer holds
    expect(Buffer.from(await p.signer.publicKey(certifier.certifier.keyRef)).equals(Buffer.from(describeCertificate(certifier.certificate.der!).spkiDer))).toBe(true);
    const crls = [c.root.id, c.issuing.id].map((id) => p.repository.crl(id)!.body);
    expect(opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], leaf: certifier.certificate.der!, crls }).stdout).toMatch(/: OK/);
    const audit = await p.db.audit.read(0n, 1000, { subjectId: certifier.certifier.id });
    expect(audit.map((e) => e.action)).toEqual(['platform-certifier.created']);
  });

  it('issues a certification that verifies as a relying party checks it, audited before and after its signature, valid until revoked', async () => {
    const before = await signatures();
    const issued = await issueCertification(p, {
      certifierId: certifier.certifier.id, templateId, organizationId: appOrgId, sub: appUri, validityDays: 180, grantTypes: ['client_credentials'],
      exchangePurposes: ['T-TREAT'], appClaims: { client_name: 'Example App', developer_name: 'App maker' },
    }, operator);
    expect(issued).toMatchObject({ iss: certifierUri, sub: appUri, certifierCertificateId: certifier.certificate.id, status: 'active' });
    expect(issued.exp.getTime() - issued.iat.getTime()).toBe(180 * 86_400_000);
    const verdict = await verifyUdapJwt(issued.jwt, (await communityTrust(p, c.community.id)).trust, { kind: 'certification', now: clock.now(), expected: { sub: appUri } });
    expect(verdict.findings).toEqual([]);
    expect(verdict.claims).toMatchObject({
      certification_name: 'TEFCA Basic App Certification', certification_status_endpoint: p.urls.certificationStatus(c.community.id), client_name: 'Example App',
      grant_types: ['client_credentials'], exchange_purposes: ['T-TREAT'], is_endorsement: false,
    });
    expect(await signatures()).toBe(before + 2);
    const signed = await p.db.audit.read(0n, 1000, { subjectId: `certification ${issued.jti}` });
    expect(signed.map((e) => [e.action, e.data.keyRef])).toEqual([['signature.before', certifier.certifier.keyRef], ['signature.after', certifier.certifier.keyRef]]);

    await status.refresh(c.community.id);
    expect(status.valid(c.community.id, issued.jti, issued.exp.getTime() / 1000)).toBe(true);
    await revokeCertification(p, { certificationId: issued.id, reason: 'Issued in error' }, operator);
    await status.refresh(c.community.id);
    expect(status.valid(c.community.id, issued.jti, issued.exp.getTime() / 1000)).toBe(false);
  });

  it('refuses before signing, writing nothing: exp past the certifier certificate, a sub not the app\'s, grants outside the template, unknown ids, a member', async () => {
    const short = await createPlatformCertifier(p, { organizationId: certifier.certifier.organizationId, sanUri: `https://short.${host}/udap`, validityDays: 30 }, operator);
    const [r0, s0] = [await rows(), await signatures()];
    const base = { certifierId: certifier.certifier.id, templateId, organizationId: appOrgId, sub: appUri };
    await expectDomainError(issueCertification(p, { ...base, certifierId: short.certifier.id, validityDays: 60 }, operator), 'certification-invalid', /after the certifier certificate's notAfter/);
    await expectDomainError(issueCertification(p, { ...base, validityDays: 3 * 365 + 1 }, operator), 'validation', /at most 3 years/);
    await expectDomainError(issueCertification(p, { ...base, sub: `https://app.${host}/unissued` }, operator), 'certification-invalid', /no live udap-client certificate/);
    await expectDomainError(issueCertification(p, { ...base, sub: certifierUri }, operator), 'certification-invalid', /is not a SAN URI of organization/);
    await expectDomainError(issueCertification(p, { ...base, grantTypes: ['implicit'] }, operator), 'certification-invalid', /grant_types "implicit" not allowed/);
    await expectDomainError(issueCertification(p, { ...base, appClaims: { iss: 'x' } }, operator), 'validation', /appClaims.iss/);
    await expectDomainError(issueCertification(p, { ...base, templateId: randomUUID() }, operator), 'not-found', /template/);
    await expectDomainError(issueCertification(p, { ...base, certifierId: randomUUID() }, operator), 'not-found', /platform certifier/);
    await expectDomainError(issueCertification(p, base, { id: 'member', role: 'member-admin', organizationId: appOrgId }), 'forbidden');
    expect([await rows(), await signatures()]).toEqual([r0, s0]);
    // a certifier key is RSA, and its SAN URI must be the organization's
    await expectDomainError(createPlatformCertifier(p, { organizationId: certifier.certifier.organizationId, sanUri: certifierUri, keyType: 'EC-P256' }, operator), 'key-policy', /RSA/);
    await expectDomainError(createPlatformCertifier(p, { organizationId: certifier.certifier.organizationId, sanUri: appUri }, operator), 'san-invalid');
  });
});
