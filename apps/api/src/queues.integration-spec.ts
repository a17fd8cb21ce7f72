import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createApiToken, createUser, openPlatform, type Platform } from '@anchorage/authority';
import type { FailedJobView, ProblemDocument, QueuesView } from '@anchorage/contracts';
import { REVOCATION_QUEUE, redisConnection } from '@anchorage/jobs';
import { startPrivateRedis, testPlatformOptions, type PrivateRedis } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// The queue page's routes against a Redis of the test's own, which the test also stops.
describe('queues: counts, failed jobs, retry (HTTP, real Redis)', () => {
  const prefix = `t-${randomUUID()}`;
  const root = { id: 'queues-test', role: 'operator' as const };
  let p: Platform;
  let srv: RunningServer;
  let redis: PrivateRedis;
  let token: string;
  let auditor: string;

  const call = async (method: string, path: string, bearer = token) => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    const text = await res.text();
    return { status: res.status, range: res.headers.get('content-range'), json: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    p = await openPlatform(testPlatformOptions());
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, queues: { redisUrl: redis.url, prefix } });
    token = (await createApiToken(p, 'queues', root)).token;
    const tag = randomUUID().slice(0, 8);
    await createUser(p, { email: `queues-auditor-${tag}@example.org`, displayName: 'Auditor', role: 'auditor', password: 'queues password 1' }, root);
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `queues-auditor-${tag}@example.org`, password: 'queues password 1' }),
    });
    auditor = (await login.json()).accessToken;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
    await redis.stop();
  });

  it('lists counts and a failed job with its error; operators retry it, auditors may not', async () => {
    const connection = redisConnection(redis.url);
    const queue = new Queue(REVOCATION_QUEUE, { connection, prefix });
    const events = new QueueEvents(REVOCATION_QUEUE, { connection, prefix });
    await events.waitUntilReady();
    const failed = new Promise<void>((resolve) => events.once('failed', () => resolve()));
    const worker = new Worker(REVOCATION_QUEUE, async () => { throw new Error('signer offline'); }, { connection, prefix });
    await queue.add('bulk-revoke', { bulkRevocationId: randomUUID() }, { jobId: 'bulk-revoke.test', attempts: 1 });
    await failed;
    await worker.close();

    const list = await call('GET', '/api/v1/queues');
    expect(list.status).toBe(200);
    const view = list.json as QueuesView;
    expect(view.queues.map((q) => q.name).sort()).toEqual(['anchorage-crl', 'anchorage-notices', 'anchorage-publish', 'anchorage-revocation']);
    expect(view.queues.find((q) => q.name === REVOCATION_QUEUE)!.counts).toMatchObject({ failed: 1, waiting: 0 });
    expect(view.outbox).toEqual(expect.objectContaining({ unrelayed: expect.any(Number) }));

    const f = await call('GET', `/api/v1/queues/${REVOCATION_QUEUE}/failed`, auditor);
    expect(f.status).toBe(200);
    expect(f.range).toBe('failed 0-0/1');
    expect((f.json as FailedJobView[])[0]).toMatchObject({ id: 'bulk-revoke.test', name: 'bulk-revoke', failedReason: 'signer offline', attemptsMade: 1, attempts: 1 });

    expect((await call('POST', `/api/v1/queues/${REVOCATION_QUEUE}/jobs/bulk-revoke.test/retry`, auditor)).status).toBe(403);
    expect((await call('POST', `/api/v1/queues/${REVOCATION_QUEUE}/jobs/bulk-revoke.test/retry`)).status).toBe(204);
    const after = (await call('GET', '/api/v1/queues')).json as QueuesView;
    expect(after.queues.find((q) => q.name === REVOCATION_QUEUE)!.counts).toMatchObject({ failed: 0, waiting: 1 });
    // retrying a job that is not failed (now waiting), or a queue that does not exist, is a 404
    expect((await call('POST', `/api/v1/queues/${REVOCATION_QUEUE}/jobs/bulk-revoke.test/retry`)).status).toBe(404);
    expect((await call('GET', '/api/v1/queues/nope/failed')).status).toBe(404);
    await events.close();
    await queue.close();
  });

  it('answers 503 queue-unavailable at once while Redis is down, and recovers', async () => {
    await redis.stop();
    const started = Date.now();
    const r = await call('GET', '/api/v1/queues');
    expect(r.status).toBe(503);
    const problem = r.json as ProblemDocument;
    expect(problem.type).toMatch(/queue-unavailable$/);
    expect(problem.detail).toMatch(/Redis/);
    expect(Date.now() - started).toBeLessThan(10_000); // fails fast, no hanging request
    await redis.start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await call('GET', '/api/v1/queues')).status;
      if (status !== 200) await new Promise((res) => setTimeout(res, 200));
    }
    expect(status).toBe(200);
  });
});
