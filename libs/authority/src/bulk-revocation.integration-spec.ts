import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSerial } from '@anchorage/pki';
import { FakeClock, openssl, opensslCsr, opensslVerify, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { runBulkRevocation } from './bulk-revocation';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { issueCertificate } from './issue-certificate';
import { suspendOrganization } from './onboarding/review';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';
import { expectDomainError } from './testing/expect-domain-error';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';

describe('bulk revocation of a suspended organization', () => {
  const clock = new FakeClock(new Date());
  const op = { id: 'op', role: 'operator' as const };
  const worker = { id: 'worker', role: 'system' as const };
  const dir = tempDir();
  let p: Platform;
  let c: CreatedCommunity;
  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
    const host = `bulk-${randomUUID().slice(0, 8)}.example.org`;
    c = await createCommunity(p, { name: 'Bulk', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400, allowedLeafKeyTypes: ['EC-P256'] } }, op);
  });
  afterAll(() => p.close());

  async function orgWithCertificates(n: number) {
    const host = `m-${randomUUID().slice(0, 8)}.example.org`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Member', sanUris: [`https://${host}/a`] }, op);
    const csr = opensslCsr(dir, { curve: 'P-256', sans: [`https://${host}/a`] });
    const certs = [];
    for (let i = 0; i < n; i++) certs.push((await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem, validityDays: 30 }, op)).certificate);
    return { org, certs };
  }

  it('revokes every live certificate once, resumes after a crash, and ends with a complete CRL', async () => {
    const { org, certs } = await orgWithCertificates(25);
    const heldAt = clock.now();
    await revokeCertificate(p, { certificate: { certificateId: certs[0].id }, reason: 'certificateHold' }, op);
    await revokeCertificate(p, { certificate: { certificateId: certs[1].id }, reason: 'keyCompromise' }, op);
    clock.advance(60_000);

    const suspended = await suspendOrganization(p, org, 'membership agreement terminated', op);
    expect(suspended.status).toBe('suspended');
    const bulk = suspended.bulkRevocation!;
    expect(bulk).toMatchObject({ status: 'queued', reason: 9, cause: 'organization-suspended', organizationId: org.id, requestedBy: 'op' });
    // the job is in the outbox, committed with the suspension
    expect(await p.db.outboxRelay.find(`bulk-revoke.${bulk.id}`)).toMatchObject({ queue: 'anchorage-revocation', name: 'bulk-revoke', payload: { bulkRevocationId: bulk.id }, relayedAt: null });

    // a crash after the second batch of 7: those 14 stay revoked, nothing else changed
    const crlBefore = (await p.db.crls.latest(c.issuing.id, false))!;
    let batches = 0;
    await expect(runBulkRevocation(p, bulk.id, worker, { batchSize: 7, onBatch: () => { if (++batches === 2) throw new Error('worker killed'); } })).rejects.toThrow('worker killed');
    expect(await p.db.bulkRevocations.find(bulk.id)).toMatchObject({ status: 'running', revoked: 14, total: 24, batches: 2 });

    const out = await runBulkRevocation(p, bulk.id, worker, { batchSize: 7 });
    expect(out).toMatchObject({ outcome: 'completed', revokedThisRun: 10 });
    expect(out.record).toMatchObject({ status: 'completed', revoked: 24, total: 24, batches: 4 });
    const crl = (await p.db.crls.latest(c.issuing.id, true))!;
    expect(crl.crlNumber).toBeGreaterThan(crlBefore.crlNumber);
    expect(out.record.crlNumbers).toEqual({ [c.issuing.id]: crl.crlNumber.toString() });
    for (const cert of certs) expect(hasSerial(crl.der!, cert.serial)).toBe(true);

    // each certificate revoked exactly once: one revocation event each, the right reasons and dates
    const events = (await p.db.audit.read(0n, 100_000, { action: 'certificate.revoked' })).filter((e) => certs.some((x) => x.id === e.subjectId));
    expect(events).toHaveLength(25);
    expect(new Set(events.map((e) => e.subjectId)).size).toBe(25);
    const held = (await p.db.certificates.find(certs[0].id))!;
    expect(held).toMatchObject({ status: 'revoked', revocationReason: 9 });
    expect(held.revokedAt!.getTime()).toBe(Math.floor(heldAt.getTime())); // RFC 5280 §5.3.1: the date of the hold
    expect((await p.db.certificates.find(certs[1].id))!.revocationReason).toBe(1); // already revoked: left alone

    // OpenSSL agrees: the CRL verifies under the issuing CA, lists privilegeWithdrawn, and a leaf fails
    const caPem = writePem(dir, 'bulk-ca.pem', [c.issuing.certificateDer!]);
    const crlPath = join(dir, 'bulk.crl');
    writeFileSync(crlPath, crl.der!);
    const text = openssl(['crl', '-inform', 'DER', '-in', crlPath, '-CAfile', caPem, '-verify', '-noout', '-text']);
    expect(text.stderr + text.stdout).toMatch(/verify OK/);
    expect(text.stdout).toMatch(/Privilege Withdrawn/);
    const leaf = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [(await p.db.crls.latest(c.root.id, true))!.der!, crl.der!], leaf: certs[5].der! });
    expect(leaf.status).not.toBe(0);
    expect(leaf.stdout + leaf.stderr).toMatch(/certificate revoked/);

    // a redelivered job does nothing, and no new CRL is made
    const again = await runBulkRevocation(p, bulk.id, worker);
    expect(again).toMatchObject({ outcome: 'already-completed', revokedThisRun: 0 });
    expect((await p.db.crls.latest(c.issuing.id, false))!.crlNumber).toBe(crl.crlNumber);
    await linkAuditChain(p); // as the worker's sequencer would
    expect((await verifyAuditChain(p)).ok).toBe(true);
  });

  it('refuses a bad reason and changes nothing; suspends without revoking when asked', async () => {
    const { org, certs } = await orgWithCertificates(2);
    await expectDomainError(suspendOrganization(p, org, 'x', op, { revocationReason: 'certificateHold' }), 'validation', /revocationReason must be one of/);
    await expectDomainError(suspendOrganization(p, org, 'x', op, { revokeCertificates: 'yes' }), 'validation', /true or false/);
    expect((await p.db.organizations.find(org.id))!.status).toBe('active');
    expect((await p.db.bulkRevocations.list({ organizationId: org.id })).total).toBe(0);

    const frozen = await suspendOrganization(p, org, 'incident under investigation', op, { revokeCertificates: false });
    expect(frozen).toMatchObject({ status: 'suspended', bulkRevocation: null });
    expect((await p.db.certificates.find(certs[0].id))!.status).toBe('issued');
  });
});
