import { randomUUID } from 'node:crypto';
import { suspendOrganization, type Platform } from '@anchorage/authority';
import { QueueInspector } from '@anchorage/jobs';
import { startPrivateRedis, type PrivateRedis } from '@anchorage/testing';
import { startMetricsServer, type MetricsServer } from './metrics';
import { eventually, isolatedPlatform, OPERATOR, organizationWithCertificates, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

/** The value of one sample in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('worker metrics and health (real Redis and PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let redis: PrivateRedis;
  let w: RunningWorker;
  let inspector: QueueInspector;
  let metrics: MetricsServer;

  beforeAll(async () => {
    env = await isolatedPlatform('metrics');
    p = env.p;
    redis = await startPrivateRedis();
    const prefix = `t-${randomUUID()}`;
    w = await startWorker(p, { redisUrl: redis.url, crlRefreshSeconds: 600, prefix, relayPollMs: 100 });
    inspector = new QueueInspector(redis.url, prefix, 1000);
    metrics = await startMetricsServer(p, inspector, w, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await metrics?.close();
    await inspector?.close();
    await w?.close();
    await redis?.stop();
    await env?.close();
  });

  it('exports CRL freshness and size per CA, certificates, queue depth and job counters', async () => {
    const c = await testCommunity(p, 'Metrics');
    const { org } = await organizationWithCertificates(p, c.community.id, 7);
    const { bulkRevocation } = await suspendOrganization(p, org, 'metrics test', OPERATOR);
    await eventually('the bulk revocation to complete', async () => (await p.db.bulkRevocations.find(bulkRevocation!.id))!.status === 'completed');
    // the final CRL queued its publication: let the relay take it
    await eventually('the outbox to drain', async () => (await p.db.outboxRelay.backlog()).unrelayed === 0);
    // the bulk revocation is completed in the database before its processor returns, and BullMQ and
    // the worker's counter record the job only after that: wait for what is asserted below
    await eventually('the worker to count the processed job', async () => w.counters.processed.get('bulk-revoke') === 1);
    await eventually('BullMQ to record the job completed', async () => (await w.queues.get('anchorage-revocation')!.getJobCounts('completed')).completed === 1);

    await eventually('the sequencer to link every audit event', async () => (await p.db.audit.unlinked(60_000)).count === 0);
    // what a sweep's paced regenerations report (crl-pacing.ts) adds up, in seconds
    const pausedBefore = w.counters.crlPausedMs;
    w.counters.countSweep([{ pausedMs: 1500 }, {}, { pausedMs: 250 }]);
    expect(w.counters.crlPausedMs).toBe(pausedBefore + 1750);
    const res = await fetch(`${metrics.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const crl = (await p.db.crls.latest(c.issuing.id, true))!;
    const issuing = { ca_id: c.issuing.id };
    const left = sample(text, 'anchorage_crl_seconds_until_next_update', issuing)!;
    expect(Math.abs(left - (crl.nextUpdate.getTime() - Date.now()) / 1000)).toBeLessThan(30);
    expect(sample(text, 'anchorage_crl_number', issuing)).toBe(Number(crl.crlNumber));
    expect(sample(text, 'anchorage_crl_entries', issuing)).toBe(7);
    expect(sample(text, 'anchorage_crl_size_bytes', issuing)).toBe(crl.der!.length);
    expect(sample(text, 'anchorage_certificates', { status: 'revoked' })).toBe(7);
    expect(sample(text, 'anchorage_certificates_revoked_total')).toBe(7);
    expect(sample(text, 'anchorage_certificates_issued_total')).toBe(7);
    expect(sample(text, 'anchorage_bulk_revocations', { status: 'completed' })).toBe(1);
    expect(sample(text, 'anchorage_jobs_processed_total', { name: 'bulk-revoke' })).toBe(1);
    expect(sample(text, 'anchorage_bulk_revoked_certificates_total')).toBe(7);
    expect(sample(text, 'anchorage_queue_jobs', { queue: 'anchorage-revocation', state: 'completed' })).toBe(1);
    expect(sample(text, 'anchorage_outbox_unrelayed')).toBe(0);
    expect(sample(text, 'anchorage_audit_unlinked_events')).toBe(0);
    expect(sample(text, 'anchorage_audit_unlinked_overdue_events')).toBe(0);
    expect(sample(text, 'anchorage_audit_linked_total')).toBeGreaterThanOrEqual(7 * 3); // each certificate's issuance and revocation events
    expect(sample(text, 'anchorage_redis_up')).toBe(1);
    expect(sample(text, 'anchorage_crl_paused_seconds_total')).toBeCloseTo(w.counters.crlPausedMs / 1000);
    expect((await fetch(`${metrics.url}/healthz`)).status).toBe(200);
  });

  it('reports Redis down in health and metrics, and keeps serving the database figures', async () => {
    await redis.stop();
    const h = await fetch(`${metrics.url}/healthz`);
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ ok: false, postgres: 'ok', redis: expect.stringMatching(/Redis/) });
    const text = await (await fetch(`${metrics.url}/metrics`)).text();
    expect(sample(text, 'anchorage_redis_up')).toBe(0);
    expect(sample(text, 'anchorage_certificates', { status: 'revoked' })).toBe(7);
    await redis.start();
    await eventually('health to recover once Redis is back', async () => (await fetch(`${metrics.url}/healthz`)).status === 200);
    await eventually('the worker to reconnect', async () => (await w.queues.get('anchorage-crl')!.getWorkers().catch(() => [])).length > 0);
  });
});
