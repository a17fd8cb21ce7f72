import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSerial } from '@anchorage/pki';
import { openssl, opensslCsr, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { publishPendingRevocations, refreshStaleCrls } from './refresh-crls';
import { releaseHold, revokeCertificate } from './revoke-certificate';
import type { Actor } from './deps';
import { expectDomainError } from './testing/expect-domain-error';

const operator: Actor = { id: 'test-operator', role: 'operator' };

// "Revoked but on no CRL yet" is a state the platform always drives forward: a revocation whose CRL
// could not be signed (here: a process started with the wrong key-encryption key) is published by a
// retry, by the next sweep, or by the next process to start; a retry never answers already-revoked
// for a revocation relying parties cannot see yet.
describe('revocations committed but not yet on a CRL', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-pending-');
  const host = `p${randomUUID().slice(0, 8)}.example.org`;
  let p: Platform;
  /** The same database and key store, but a key-encryption key that opens no CA key. */
  let broken: Platform;
  let c: CreatedCommunity;
  let orgId: string;

  beforeAll(async () => {
    p = await openPlatform(opts);
    const wrongKek = join(opts.dir, 'wrong-kek');
    writeFileSync(wrongKek, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    broken = await openPlatform({ ...opts, kekFile: wrongKek });
    c = await createCommunity(p, { name: 'Pending', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Pending clinic', sanUris: [`https://${host}/app`] }, operator)).id;
  });
  afterAll(async () => {
    await broken?.close();
    await p?.close();
  });

  const issue = async () => (await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [`https://${host}/app`] }).csrPem }, operator)).certificate;
  const newestCrl = async () => (await p.db.crls.latest(c.issuing.id, true))!;
  const expectVerifiedCrlListing = (der: Uint8Array, serial: Uint8Array) => {
    expect(hasSerial(der, serial)).toBe(true);
    writeFileSync(join(dir, 'pending.crl'), der);
    const v = openssl(['crl', '-inform', 'DER', '-in', join(dir, 'pending.crl'), '-CAfile', writePem(dir, 'ca.pem', [c.issuing.certificateDer!]), '-verify', '-noout']);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
  };

  it('a retry after publication-failed publishes and answers success; a later retry is already-revoked', async () => {
    const cert = await issue();
    const before = await newestCrl();
    await expectDomainError(revokeCertificate(broken, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator), 'publication-failed');
    expect(await p.db.certificates.find(cert.id)).toMatchObject({ status: 'revoked', revocationPublished: false });
    // still failing to sign: the retry says so again instead of "already revoked"
    await expectDomainError(revokeCertificate(broken, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator), 'publication-failed');
    const retried = await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator);
    expect(retried.crl.crlNumber).toBeGreaterThan(before.crlNumber);
    expect(retried.certificate.revocationReason).toBe(1);
    expectVerifiedCrlListing((await newestCrl()).der!, cert.serial);
    expect(p.repository.crl(c.issuing.id)!.version).toBe(retried.crl.crlNumber);
    // one revocation, audited once
    const events = (await p.db.audit.read(0n, 10_000, { action: 'certificate.revoked' })).filter((e) => e.subjectId === cert.id);
    expect(events).toHaveLength(1);
    await expectDomainError(revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator), 'already-revoked');
  });

  it('a retry with another reason publishes the recorded revocation and says it is already revoked', async () => {
    const cert = await issue();
    await expectDomainError(revokeCertificate(broken, { certificate: { certificateId: cert.id }, reason: 'superseded' }, operator), 'publication-failed');
    await expectDomainError(revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator), 'already-revoked');
    expect(await p.db.certificates.find(cert.id)).toMatchObject({ revocationPublished: true, revocationReason: 4 });
    expectVerifiedCrlListing((await newestCrl()).der!, cert.serial);
  });

  it('a retried release of a hold publishes the release', async () => {
    const cert = await issue();
    await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'certificateHold' }, operator);
    await expectDomainError(releaseHold(broken, { certificateId: cert.id }, operator), 'publication-failed');
    const released = await releaseHold(p, { certificateId: cert.id }, operator);
    expect(released.certificate.status).toBe('issued');
    expect(hasSerial((await newestCrl()).der!, cert.serial)).toBe(false);
    await expectDomainError(releaseHold(p, { certificateId: cert.id }, operator), 'not-revoked');
  });

  it('the sweep and the start-up pass regenerate a fresh CRL that misses a committed revocation, and only then', async () => {
    const [first, second] = [await issue(), await issue()];
    await expectDomainError(revokeCertificate(broken, { certificate: { certificateId: first.id }, reason: 'keyCompromise' }, operator), 'publication-failed');
    const before = await newestCrl();
    // the CRL is days from half its lifetime: before, the sweep left it alone
    const swept = await refreshStaleCrls(p, operator);
    expect(swept.find((r) => r.caId === c.issuing.id)).toMatchObject({ action: 'regenerated' });
    expect((await newestCrl()).crlNumber).toBe(before.crlNumber + 1n);
    expectVerifiedCrlListing((await newestCrl()).der!, first.serial);
    expect(await p.db.certificates.issuersWithUnpublishedRevocations()).not.toContain(c.issuing.id);
    expect((await refreshStaleCrls(p, operator)).find((r) => r.caId === c.issuing.id)).toMatchObject({ action: 'fresh' });
    expect(await publishPendingRevocations(p, operator)).toEqual([]);

    await expectDomainError(revokeCertificate(broken, { certificate: { certificateId: second.id }, reason: 'affiliationChanged' }, operator), 'publication-failed');
    const started = await publishPendingRevocations(p, operator);
    expect(started).toEqual([expect.objectContaining({ caId: c.issuing.id, action: 'regenerated' })]);
    expectVerifiedCrlListing((await newestCrl()).der!, second.serial);
    expect((await newestCrl()).crlNumber).toBe(before.crlNumber + 2n);
  });
});
