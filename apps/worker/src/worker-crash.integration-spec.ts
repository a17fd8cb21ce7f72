import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suspendOrganization, type Platform } from '@anchorage/authority';
import { hasSerial } from '@anchorage/pki';
import { openssl, platformEnv, startWorkerProcess, tempDir, testRedisUrl, writePem, type WorkerProcess } from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR, organizationWithCertificates, testCommunity } from './testing/fixture';

// Fault test: the real worker process is killed (SIGKILL) in the middle of a bulk revocation of
// thousands of certificates; a new one takes the job over once its lock expires and finishes it.
describe('worker killed during a bulk revocation', () => {
  const N = 3000;
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  const procs: WorkerProcess[] = [];

  beforeAll(async () => {
    env = await isolatedPlatform('worker_crash');
    p = env.p;
  });
  afterAll(async () => {
    for (const w of procs) await w.stop();
    await env?.close();
  });

  it('resumes after restart: every certificate revoked exactly once, and the CRL lists them all', async () => {
    const c = await testCommunity(p, 'Crash');
    const { org, certs } = await organizationWithCertificates(p, c.community.id, N, 16);
    const workerEnv = {
      ...platformEnv({ ...env.options, databaseUrl: env.fresh.url, publishDir: env.options.publishDir }),
      ANCHORAGE_REDIS_URL: testRedisUrl(), ANCHORAGE_QUEUE_PREFIX: `t-${randomUUID()}`, ANCHORAGE_JOB_LOCK_SECONDS: '2',
      ANCHORAGE_BULK_BATCH_SIZE: '50', ANCHORAGE_RELAY_POLL_MS: '100', ANCHORAGE_METRICS_PORT: 'off',
    };
    procs.push(await startWorkerProcess(workerEnv));
    const { bulkRevocation } = await suspendOrganization(p, org, 'compromised member', OPERATOR, { revocationReason: 'keyCompromise' });
    const id = bulkRevocation!.id;

    const seen = await eventually('the first worker to be part way through', async () => {
      const b = (await p.db.bulkRevocations.find(id))!;
      return b.revoked >= N / 5 ? b : null;
    }, 60_000);
    await procs[0].kill();
    const atKill = (await p.db.bulkRevocations.find(id))!;
    expect(seen.status).toBe('running');
    expect(atKill.revoked).toBeLessThan(N);
    expect(atKill.status).toBe('running');

    procs.push(await startWorkerProcess(workerEnv));
    const done = await eventually('the bulk revocation to complete after the restart', async () => {
      const b = (await p.db.bulkRevocations.find(id))!;
      return b.status === 'completed' ? b : null;
    }, 90_000).catch((e: Error) => { throw new Error(`${e.message}\n${procs[1].output()}`); });
    expect(done).toMatchObject({ revoked: N, total: N });

    const ids = new Set(certs.map((x) => x.id));
    const events = (await p.db.audit.read(0n, 1_000_000, { action: 'certificate.revoked' })).filter((e) => ids.has(e.subjectId));
    expect(events).toHaveLength(N);
    expect(new Set(events.map((e) => e.subjectId)).size).toBe(N);
    const crl = (await p.db.crls.latest(c.issuing.id, true))!;
    expect(done.crlNumbers[c.issuing.id]).toBe(crl.crlNumber.toString());
    expect(crl.entryCount).toBe(N);
    for (const x of certs) expect(hasSerial(crl.der!, x.serial)).toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, 'bulk.crl'), crl.der!);
    const v = openssl(['crl', '-inform', 'DER', '-in', join(dir, 'bulk.crl'), '-CAfile', writePem(dir, 'ca.pem', [c.issuing.certificateDer!]), '-verify', '-noout', '-text']);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
    expect(v.stdout.match(/Serial Number:/g)).toHaveLength(N);
    expect(v.stdout).toMatch(/Key Compromise/);
  });
});
