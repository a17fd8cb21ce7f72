import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, revokeCertificate, suspendOrganization, type CreatedCommunity, type Platform } from '@anchorage/authority';
import { hasSerial } from '@anchorage/pki';
import { FakeClock, openssl, opensslCsr, startPrivateRedis, tempDir, writePem, type PrivateRedis } from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR, organizationWithCertificates, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

// Fault test with real Redis and PostgreSQL: a Redis of the test's own is killed (losing everything,
// as it keeps nothing on disk) while suspensions, revocations and issuances go on.
describe('Redis outage', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let redis: PrivateRedis;
  let w: RunningWorker;
  let c: CreatedCommunity;
  const logs: string[] = [];
  const clock = new FakeClock(new Date());

  beforeAll(async () => {
    env = await isolatedPlatform('redis_outage', clock);
    p = env.p;
    redis = await startPrivateRedis();
    c = await testCommunity(p, 'Outage');
    w = await startWorker(p, {
      redisUrl: redis.url, crlRefreshSeconds: 1, prefix: `t-${randomUUID()}`, relayPollMs: 100, redeliverAfterSeconds: 1, jobLockSeconds: 5, bulkBatchSize: 4, redisTimeoutMs: 1000,
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    await w?.close();
    await redis?.stop();
    await env?.close();
  });

  it('never fails the API, and after Redis restarts every implied job runs once', async () => {
    const orgs = await Promise.all([0, 1, 2, 3].map(() => organizationWithCertificates(p, c.community.id, 10)));
    const revocationWorker = w.workers[1];
    await revocationWorker.pause();

    // relayed into Redis, then lost with it
    const first = await suspendOrganization(p, orgs[0].org, 'agreement ended', OPERATOR);
    const lostJob = `bulk-revoke.${first.bulkRevocation!.id}`;
    await eventually('the first job to be relayed', async () => (await p.db.outboxRelay.find(lostJob))?.relayedAt).catch((e: Error) => { throw new Error(`${e.message}; worker log:\n${logs.join('\n')}`); });
    await redis.stop();

    // Redis is down: the API's state changes all succeed
    const failedBefore = w.relay.failedRounds;
    const during = [
      await suspendOrganization(p, orgs[1].org, 'agreement ended', OPERATOR),
      await suspendOrganization(p, orgs[2].org, 'audit finding', OPERATOR, { revocationReason: 'keyCompromise' }),
    ];
    const single = await revokeCertificate(p, { certificate: { certificateId: orgs[3].certs[0].id }, reason: 'superseded' }, OPERATOR);
    expect(hasSerial(single.crl.der!, orgs[3].certs[0].serial)).toBe(true);
    const issued = await issueCertificate(p, { organizationId: orgs[3].org.id, profile: 'udap-client', csr: opensslCsr(tempDir(), { curve: 'P-256', sans: [orgs[3].org.sanUris[0]] }).csrPem, validityDays: 30 }, OPERATOR);
    expect(issued.certificate.status).toBe('issued');
    await eventually('relay rounds to fail while Redis is down', async () => w.relay.failedRounds >= failedBefore + 2);
    for (const s of during) expect((await p.db.outboxRelay.find(`bulk-revoke.${s.bulkRevocation!.id}`))!.relayedAt).toBeNull();

    // Redis comes back empty; the relay delivers the waiting rows and re-delivers the lost one
    await redis.start();
    await revocationWorker.resume();
    const ids = [first, ...during].map((s) => s.bulkRevocation!.id);
    await eventually('all bulk revocations to complete', async () => {
      const recs = await Promise.all(ids.map((id) => p.db.bulkRevocations.find(id)));
      return recs.every((r) => r!.status === 'completed');
    }, 60_000);
    // A bulk revocation is marked completed inside its processor, before the processor returns and
    // the worker counts it: wait for the count itself, then check no fourth run or skip follows.
    await eventually('the worker to count three processed bulk revocations', async () => (w.counters.processed.get('bulk-revoke') ?? 0) >= 3);
    await eventually('the lost job\'s outbox row to be completed', async () => (await p.db.outboxRelay.find(lostJob))?.completedAt);

    expect(w.counters.processed.get('bulk-revoke')).toBe(3);
    expect(w.counters.skipped.get('bulk-revoke') ?? 0).toBe(0);
    const lost = (await p.db.outboxRelay.find(lostJob))!;
    expect(lost.relayCount).toBe(2);
    expect(lost.completedAt).not.toBeNull();

    // each certificate revoked once, all on the CRL, which OpenSSL verifies
    const certIds = new Set(orgs.slice(0, 3).flatMap((o) => o.certs.map((x) => x.id)));
    const events = (await p.db.audit.read(0n, 100_000, { action: 'certificate.revoked' })).filter((e) => certIds.has(e.subjectId));
    expect(events).toHaveLength(30);
    expect(new Set(events.map((e) => e.subjectId)).size).toBe(30);
    const crl = (await p.db.crls.latest(c.issuing.id, true))!;
    for (const o of orgs.slice(0, 3)) for (const x of o.certs) expect(hasSerial(crl.der!, x.serial)).toBe(true);
    expect((await p.db.certificates.find(orgs[2].certs[3].id))!.revocationReason).toBe(1);
    const dir = tempDir();
    writeFileSync(join(dir, 'c.crl'), crl.der!);
    const v = openssl(['crl', '-inform', 'DER', '-in', join(dir, 'c.crl'), '-CAfile', writePem(dir, 'ca.pem', [c.issuing.certificateDer!]), '-verify', '-noout']);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
    expect(logs.some((l) => /outbox relay/.test(l))).toBe(true);
  });

  it('keeps CRLs fresh while Redis is down: the worker sweeps in process', async () => {
    await redis.stop();
    const before = (await p.db.crls.latest(c.issuing.id, false))!;
    clock.advance(13 * 3600_000); // past half the CRL lifetime: due for replacement
    const after = await eventually('a CRL regenerated without Redis', async () => {
      const latest = (await p.db.crls.latest(c.issuing.id, false))!;
      return latest.crlNumber > before.crlNumber ? latest : null;
    });
    expect(after.nextUpdate.getTime()).toBeGreaterThan(clock.now().getTime() + 23 * 3600_000);
    expect(w.counters.directSweeps).toBeGreaterThan(0);
    expect(logs.some((l) => /CRL sweep in process: no queued sweep completed/.test(l))).toBe(true);
    await redis.start();
    await eventually('the worker to reconnect', async () => (await w.queues.get('anchorage-crl')!.getWorkers().catch(() => [])).length > 0);
  });
});
