import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSerial, readCertificateParts } from '@anchorage/pki';
import { FakeClock, openssl, opensslCsr, opensslVerify, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { runBulkRevocation } from './bulk-revocation';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { refreshStaleCrls } from './refresh-crls';
import { endIssuingCa } from './retire-issuing-ca';
import { expectDomainError } from './testing/expect-domain-error';

describe('retiring an issuing CA or declaring it compromised', () => {
  const clock = new FakeClock(new Date());
  const op = { id: 'op', role: 'operator' as const };
  const worker = { id: 'worker', role: 'system' as const };
  const dir = tempDir();
  let p: Platform;
  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
  });
  afterAll(() => p.close());

  async function communityWithCertificates(n: number) {
    const host = `ca-end-${randomUUID().slice(0, 8)}.example.org`;
    const c = await createCommunity(p, { name: 'End', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400, allowedLeafKeyTypes: ['EC-P256'] } }, op);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Member', sanUris: [`https://${host}/a`] }, op);
    const csr = opensslCsr(dir, { curve: 'P-256', sans: [`https://${host}/a`] }).csrPem;
    const certs = [];
    for (let i = 0; i < n; i++) certs.push((await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr, validityDays: 30 }, op)).certificate);
    return { c, org, csr, certs };
  }

  const crlOf = async (caId: string) => (await p.db.crls.latest(caId, true))!.der!;
  const verifyLeaf = async (c: CreatedCommunity, leaf: Uint8Array) => opensslVerify(dir, {
    anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [await crlOf(c.root.id), await crlOf(c.issuing.id)], leaf,
  });

  it('a compromised CA stops issuing, is listed on the root CRL, and everything it issued is revoked with cACompromise', async () => {
    const { c, org, csr, certs } = await communityWithCertificates(5);
    expect((await verifyLeaf(c, certs[0].der!)).status).toBe(0);

    const out = await endIssuingCa(p, c.issuing.id, { as: 'compromised', reason: 'key material found on a lost laptop' }, op);
    expect(out.ca).toMatchObject({ status: 'compromised', revocationReason: 2 });
    expect(out.bulkRevocation).toMatchObject({ status: 'queued', cause: 'ca-compromised', reason: 2, caId: c.issuing.id });
    expect(out.notice).toBeNull();
    // the root's new CRL lists the issuing CA's certificate; OpenSSL rejects the branch at depth 1
    const rootCrl = await crlOf(c.root.id);
    expect((await p.db.crls.latest(c.root.id, false))!.crlNumber.toString()).toBe(out.parentCrlNumber);
    expect(hasSerial(rootCrl, readCertificateParts(c.issuing.certificateDer!).serial)).toBe(true);
    const rejected = await verifyLeaf(c, certs[0].der!);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stdout + rejected.stderr).toMatch(/certificate revoked/);
    const rootCrlPath = join(dir, `root-${c.root.id}.crl`);
    writeFileSync(rootCrlPath, rootCrl);
    const text = openssl(['crl', '-inform', 'DER', '-in', rootCrlPath, '-CAfile', writePem(dir, `root-${c.root.id}.pem`, [c.root.certificateDer!]), '-verify', '-noout', '-text']);
    expect(text.stderr + text.stdout).toMatch(/verify OK/);
    expect(text.stdout).toMatch(/CA Compromise/);

    // no more issuance, and the trust bundle no longer carries it
    await expectDomainError(issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr }, op), 'ca-not-active');
    const bundle = p.repository.trustBundle(c.community.id)!.body.toString();
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);

    // the worker's run revokes every leaf with cACompromise, and the CA's own CRL lists them
    const run = await runBulkRevocation(p, out.bulkRevocation.id, worker);
    expect(run.record).toMatchObject({ status: 'completed', revoked: 5 });
    const issuingCrl = await crlOf(c.issuing.id);
    for (const x of certs) {
      expect(hasSerial(issuingCrl, x.serial)).toBe(true);
      expect((await p.db.certificates.find(x.id))!.revocationReason).toBe(2);
    }
    // and it keeps publishing: a sweep a day later still regenerates its CRL
    clock.advance(86400_000);
    const swept = await refreshStaleCrls(p, worker);
    expect(swept.find((r) => r.caId === c.issuing.id)).toMatchObject({ action: 'regenerated' });
  });

  it('retires with cessationOfOperation or superseded, refuses what does not apply, and changes nothing then', async () => {
    const { c } = await communityWithCertificates(1);
    await expectDomainError(endIssuingCa(p, c.issuing.id, { as: 'retired', reason: 'x', revocationReason: 'keyCompromise' }, op), 'validation', /cessationOfOperation or superseded/);
    await expectDomainError(endIssuingCa(p, c.issuing.id, { as: 'retired', reason: ' ' }, op), 'validation', /reason is required/);
    await expectDomainError(endIssuingCa(p, c.root.id, { as: 'retired', reason: 'x' }, op), 'invalid-transition', /is a root/);
    await expectDomainError(endIssuingCa(p, c.issuing.id, { as: 'retired', reason: 'x' }, { id: 'm', role: 'member-admin' }), 'reason-not-allowed');
    expect((await p.db.cas.find(c.issuing.id))!).toMatchObject({ status: 'active', revokedAt: null });
    expect((await p.db.bulkRevocations.list({ caId: c.issuing.id })).total).toBe(0);

    const retired = await endIssuingCa(p, c.issuing.id, { as: 'retired', reason: 'replaced by a new issuing CA', revocationReason: 'superseded' }, op);
    expect(retired.ca).toMatchObject({ status: 'retired', revocationReason: 4 });
    await expectDomainError(endIssuingCa(p, c.issuing.id, { as: 'retired', reason: 'again' }, op), 'invalid-transition', /is retired/);
    // found compromised later: the reason changes, the revocation date stays
    clock.advance(3600_000);
    const compromised = await endIssuingCa(p, c.issuing.id, { as: 'compromised', reason: 'old key leaked' }, op);
    expect(compromised.ca).toMatchObject({ status: 'compromised', revocationReason: 2 });
    expect(compromised.ca.revokedAt!.getTime()).toBe(retired.ca.revokedAt!.getTime());
  });
});
