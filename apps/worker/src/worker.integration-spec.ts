import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { createCommunity, createOrganization, openPlatform, suspendOrganization, type Platform } from '@anchorage/authority';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { FakeClock, testDatabaseUrl, testPlatformOptions, testRedisUrl } from '@anchorage/testing';
import { redisConnection, startWorker, type RunningWorker } from './worker';

// A database of its own: the sweep covers every CA, and other test files' CAs sign with keys
// in other key stores.
describe('worker (real Redis and PostgreSQL)', () => {
  const clock = new FakeClock(new Date());
  const prefix = `anchorage-test-${randomUUID()}`;
  let p: Platform;
  let w: RunningWorker;
  let fresh: FreshDatabase;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_worker`.slice(0, 63));
    p = await openPlatform({ ...testPlatformOptions(), databaseUrl: fresh.url, clock });
  });
  afterAll(async () => {
    await w?.queue.obliterate({ force: true }).catch(() => undefined);
    await w?.close();
    await p.close();
    await fresh.drop();
  });

  it('registers the schedule and replaces stale CRLs at start', async () => {
    const c = await createCommunity(p, { name: 'Worker', uri: `udap://worker-${randomUUID()}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400 } }, { id: 'op', role: 'operator' });
    const before = (await p.db.crls.latest(c.issuing.id, false))!;
    clock.advance(20 * 3600_000); // the worker was down for 20 hours: the CRL is past half its life
    const events = new QueueEvents('anchorage-crl', { connection: redisConnection(testRedisUrl()), prefix });
    await events.waitUntilReady();
    const done = new Promise<void>((resolve, reject) => {
      events.on('completed', () => resolve());
      events.on('failed', ({ failedReason }) => reject(new Error(`CRL refresh job failed: ${failedReason}`)));
    });
    w = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix });
    await done;
    await events.close();
    const schedulers = await w.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('crl-refresh');
    const after = (await p.db.crls.latest(c.issuing.id, false))!;
    expect(after.crlNumber).toBeGreaterThan(before.crlNumber);
    expect(after.nextUpdate.getTime()).toBe(Math.floor(clock.now().getTime() / 1000) * 1000 + 86400_000);
  });

  it('relays a committed job at once on the outbox notification, without waiting for a poll', async () => {
    await w.close(); // its relay polls every 500 ms: out of the way
    const quiet = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix, relayPollMs: 600_000 });
    try {
      const c = await createCommunity(p, { name: 'Notify', uri: `udap://notify-${randomUUID()}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400 } }, { id: 'op', role: 'operator' });
      const org = await createOrganization(p, { communityId: c.community.id, name: 'Notify Org', sanUris: [`https://notify-${randomUUID().slice(0, 8)}.example.org/a`] }, { id: 'op', role: 'operator' });
      const started = Date.now();
      const { bulkRevocation } = await suspendOrganization(p, org, 'notify test', { id: 'op', role: 'operator' });
      for (;;) {
        const row = await p.db.outboxRelay.find(`bulk-revoke.${bulkRevocation!.id}`);
        if (row?.completedAt) break;
        if (Date.now() - started > 20_000) throw new Error('the job was not relayed without a poll');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(quiet.relay.relayed).toBeGreaterThanOrEqual(1);
    } finally {
      await quiet.close();
    }
  });
});
