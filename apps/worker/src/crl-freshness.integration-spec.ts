import { randomUUID } from 'node:crypto';
import { openPlatform, refreshStaleCrls, type CreatedCommunity, type Platform } from '@anchorage/authority';
import { FakeClock, opensslVerify, tempDir, testPlatformOptions, testRedisUrl } from '@anchorage/testing';
import { isolatedPlatform, organizationWithCertificates, testCommunity } from './testing/fixture';
import { WORKER_ACTOR } from './processors';
import { startWorker, type RunningWorker } from './worker';

// Time runs fast (an injected clock: 30 minutes every 100 ms) past three CRL lifetimes while two worker
// replicas, each with its own platform and connection pool, sweep every half second and race each
// other on the same CA. The newest CRL must never lapse, and CRL numbers must strictly increase.
describe('CRL freshness with two racing workers and a fast clock', () => {
  const clock = new FakeClock(new Date());
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let second: Platform;
  const workers: RunningWorker[] = [];
  let c: CreatedCommunity;

  beforeAll(async () => {
    env = await isolatedPlatform('crl_freshness', clock);
    second = await openPlatform({ ...testPlatformOptions(), ...env.options, databaseUrl: env.fresh.url, publishDir: tempDir(), clock });
    c = await testCommunity(env.p, 'Freshness');
    const prefix = `t-${randomUUID()}`;
    for (const p of [env.p, second]) workers.push(await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 0.5, prefix, relayPollMs: 200 }));
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await workers[0]?.queue.obliterate({ force: true }).catch(() => undefined);
    await second?.close();
    await env?.close();
  });

  it('never lets the newest CRL lapse, and CRL numbers strictly increase', async () => {
    const { certs } = await organizationWithCertificates(env.p, c.community.id, 1);
    const start = clock.now().getTime();
    const lifetimeMs = 86400_000;
    const lapses: string[] = [];
    let step = 0;
    while (clock.now().getTime() - start < 3 * lifetimeMs) {
      clock.advance(30 * 60_000);
      if (++step % 10 === 0) {
        // a direct race of both replicas on the same sweep
        await Promise.all([refreshStaleCrls(env.p, WORKER_ACTOR), refreshStaleCrls(second, WORKER_ACTOR)]);
      }
      await new Promise((r) => setTimeout(r, 100));
      for (const ca of [c.root, c.issuing]) {
        const latest = (await env.p.db.crls.latest(ca.id, false))!;
        if (latest.nextUpdate <= clock.now()) lapses.push(`${ca.role} CRL ${latest.crlNumber} lapsed at +${(clock.now().getTime() - start) / 3600_000} h`);
      }
    }
    expect(lapses).toEqual([]);
    for (const ca of [c.root, c.issuing]) {
      const numbers = (await env.p.db.crls.list(ca.id, 0, 10_000)).items.map((x) => Number(x.crlNumber)).reverse();
      // one CRL per half lifetime at least, over three lifetimes, and no number used twice or out of order
      expect(numbers.length).toBeGreaterThanOrEqual(6);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
    }
    expect([...workers.map((w) => w.counters.processed.get('crl-refresh') ?? 0)].reduce((a, b) => a + b)).toBeGreaterThan(6);

    // OpenSSL: the leaf verifies with the newest CRLs at the injected time, and fails once they have expired
    const dir = tempDir();
    const crls = [(await env.p.db.crls.latest(c.root.id, true))!.der!, (await env.p.db.crls.latest(c.issuing.id, true))!.der!];
    const chain = { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls, leaf: certs[0].der! };
    const now = opensslVerify(dir, { ...chain, attime: clock.now() });
    expect(now.stdout + now.stderr).toMatch(/OK/);
    expect(now.status).toBe(0);
    const later = opensslVerify(dir, { ...chain, attime: new Date(clock.now().getTime() + 2 * lifetimeMs) });
    expect(later.status).not.toBe(0);
    expect(later.stdout + later.stderr).toMatch(/CRL has expired/);
  });
});
