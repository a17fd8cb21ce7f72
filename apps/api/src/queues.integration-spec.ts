import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Client } from 'pg';
import { createApiToken, createCommunity, createOrganization, createUser, openPlatform, totpCode, type Platform } from '@anchorage/authority';
import type { FailedJobView, ProblemDocument, QueueCountsView, QueuesView } from '@anchorage/contracts';
import { BULK_REVOKE, CRL_PUBLISH, CRL_QUEUE, CRL_REFRESH, NOTICE_DELIVER, NOTICES_QUEUE, PUBLISH_QUEUE, REVOCATION_QUEUE, outboxEntry, redisConnection } from '@anchorage/jobs';
import { isolatedPlatformOptions, startPrivateRedis, testPlatformOptions, type IsolatedPlatformOptions, type PrivateRedis } from '@anchorage/testing';
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
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, queues: { redisUrl: redis.url, prefix } });
    token = (await createApiToken(p, 'queues', root)).token;
    const tag = randomUUID().slice(0, 8);
    const created = await createUser(p, { email: `queues-auditor-${tag}@example.org`, displayName: 'Auditor', role: 'auditor', password: 'queues password 1' }, root);
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `queues-auditor-${tag}@example.org`, password: 'queues password 1', code: totpCode(created.totpEnrollment!.secret, new Date()) }),
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
    expect(view.queues.map((q) => q.name).sort()).toEqual(['anchorage-conformance', 'anchorage-crl', 'anchorage-notices', 'anchorage-publish', 'anchorage-revocation', 'anchorage-revocation-notices']);
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

// What an operator of one community sees of the queues: only jobs about its communities' records,
// counted and listed; another community's job, or a platform-wide sweep, is not found for it. On a
// database of its own, so no other test file's outbox relay takes this test's outbox rows.
describe('queues as a community-scoped operator sees them (HTTP, real Redis)', () => {
  const prefix = `s-${randomUUID()}`;
  const root = { id: 'queues-scope-test', role: 'operator' as const };
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'queues scoped password';
  let options: IsolatedPlatformOptions;
  let p: Platform;
  let srv: RunningServer;
  let redis: PrivateRedis;
  let token: string;
  let scoped: string;
  const ids = { community: {}, ca: {}, bulk: {} } as { community: Record<'A' | 'B', string>; ca: Record<'A' | 'B', string>; bulk: Record<'A' | 'B', string>; noticeA: string };
  const job = { bulk: (k: 'A' | 'B') => BULK_REVOKE.jobId({ bulkRevocationId: ids.bulk[k] }), refresh: CRL_REFRESH.jobId({ reason: 'manual' }) };

  const call = async (method: string, path: string, bearer: string) => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    const text = await res.text();
    return { status: res.status, range: res.headers.get('content-range'), json: text ? JSON.parse(text) : null };
  };
  const countsOf = async (bearer: string): Promise<Record<string, QueueCountsView> & { outbox: QueuesView['outbox'] }> => {
    const view = (await call('GET', '/api/v1/queues', bearer)).json as QueuesView;
    return { ...Object.fromEntries(view.queues.map((q) => [q.name, q.counts])), outbox: view.outbox } as never;
  };
  const none: QueueCountsView = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 };
  const failedIds = async (queue: string, bearer: string) => ((await call('GET', `/api/v1/queues/${queue}/failed`, bearer)).json as FailedJobView[]).map((j) => j.id).sort();

  beforeAll(async () => {
    redis = await startPrivateRedis();
    options = await isolatedPlatformOptions();
    p = await openPlatform(options);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, queues: { redisUrl: redis.url, prefix } });
    token = (await createApiToken(p, 'queues-scope', root)).token;
    for (const k of ['A', 'B'] as const) {
      const c = await createCommunity(p, { name: `Queues ${k}`, uri: `udap://q${k.toLowerCase()}-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
      const org = await createOrganization(p, { communityId: c.community.id, name: `Queued ${k}`, sanUris: [`https://q${k.toLowerCase()}-${tag}.example.org/fhir`] }, root);
      const bulk = await p.db.bulkRevocations.create({ id: randomUUID(), communityId: c.community.id, organizationId: org.id, caId: null, reason: 9, cause: 'organization-suspended', requestedBy: root.id });
      ids.community[k] = c.community.id;
      ids.ca[k] = c.issuing.id;
      ids.bulk[k] = bulk.id;
    }
    ids.noticeA = randomUUID();
    const admin = new Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(
      `INSERT INTO expiry_notice (id, subject_type, ca_id, community_id, threshold_days, not_after) VALUES ($1, 'ca', $2, $3, 30, now() + interval '30 days')`,
      [ids.noticeA, ids.ca.A, ids.community.A],
    );
    await admin.end();
    // committed jobs no relay has moved yet: one of A, one of B, one platform-wide sweep
    await p.db.outbox.enqueueMany([
      outboxEntry(BULK_REVOKE, { bulkRevocationId: ids.bulk.A }), outboxEntry(BULK_REVOKE, { bulkRevocationId: ids.bulk.B }), outboxEntry(CRL_REFRESH, { reason: 'manual' }),
    ].map((e) => ({ ...e, jobId: `${e.jobId}.outbox` })));

    const op = await createUser(p, { email: `scoped-${tag}@example.org`, displayName: 'Scoped', role: 'operator', password: PASSWORD, communities: [ids.community.A] }, root);
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: op.email, password: PASSWORD, code: totpCode(op.totpEnrollment!.secret, new Date()) }),
    });
    scoped = ((await login.json()) as { accessToken: string }).accessToken;

    // in Redis: both bulk revocations and a CRL sweep failed; a publication of each CA and A's notice wait
    const connection = redisConnection(redis.url);
    const queue = (name: string) => new Queue(name, { connection, prefix });
    const [revocation, crl, publish, notices] = [queue(REVOCATION_QUEUE), queue(CRL_QUEUE), queue(PUBLISH_QUEUE), queue(NOTICES_QUEUE)];
    const failing = [REVOCATION_QUEUE, CRL_QUEUE].map((name) => new Worker(name, async () => { throw new Error('signer offline'); }, { connection, prefix }));
    for (const k of ['A', 'B'] as const) await revocation.add(BULK_REVOKE.name, { bulkRevocationId: ids.bulk[k] }, { jobId: job.bulk(k), attempts: 1 });
    await crl.add(CRL_REFRESH.name, { reason: 'manual' }, { jobId: job.refresh, attempts: 1 });
    for (const k of ['A', 'B'] as const) await publish.add(CRL_PUBLISH.name, { caId: ids.ca[k], crlNumber: '1' }, { jobId: CRL_PUBLISH.jobId({ caId: ids.ca[k], crlNumber: '1' }) });
    await notices.add(NOTICE_DELIVER.name, { noticeId: ids.noticeA }, { jobId: NOTICE_DELIVER.jobId({ noticeId: ids.noticeA }) });
    for (const end = Date.now() + 30_000; (await revocation.getFailedCount()) < 2 || (await crl.getFailedCount()) < 1;) {
      if (Date.now() > end) throw new Error('the jobs did not fail');
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(failing.map((w) => w.close()));
    await Promise.all([revocation, crl, publish, notices].map((q) => q.close()));
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
    await redis?.stop();
    await options?.drop();
  });

  it('counts only the jobs of its communities for a scoped operator, every job for the API token', async () => {
    const all = await countsOf(token);
    expect(all[REVOCATION_QUEUE]).toEqual({ ...none, failed: 2 });
    expect(all[CRL_QUEUE]).toEqual({ ...none, failed: 1 });
    expect(all[PUBLISH_QUEUE]).toEqual({ ...none, waiting: 2 });
    expect(all[NOTICES_QUEUE]).toEqual({ ...none, waiting: 1 });
    // the three added above, and the publication of each CA's first CRL (a root and an issuing CA per community)
    expect(all.outbox).toMatchObject({ unrelayed: 3 + 4, relayedIncomplete: 0 });

    const mine = await countsOf(scoped);
    expect(mine[REVOCATION_QUEUE]).toEqual({ ...none, failed: 1 });
    expect(mine[CRL_QUEUE]).toEqual(none); // a sweep of every CA is nobody's in particular
    expect(mine[PUBLISH_QUEUE]).toEqual({ ...none, waiting: 1 });
    expect(mine[NOTICES_QUEUE]).toEqual({ ...none, waiting: 1 });
    expect(mine.outbox).toMatchObject({ unrelayed: 1 + 2, relayedIncomplete: 0 });
    expect(mine.outbox.oldestUnrelayedSeconds).toBeGreaterThanOrEqual(0);
  });

  it('lists a scoped operator only its communities\' failed jobs, and retries only those', async () => {
    expect(await failedIds(REVOCATION_QUEUE, token)).toEqual([job.bulk('A'), job.bulk('B')].sort());
    const mine = await call('GET', `/api/v1/queues/${REVOCATION_QUEUE}/failed`, scoped);
    expect(mine.range).toBe('failed 0-0/1');
    expect((mine.json as FailedJobView[]).map((j) => [j.id, j.data])).toEqual([[job.bulk('A'), { bulkRevocationId: ids.bulk.A }]]);
    expect(await failedIds(CRL_QUEUE, scoped)).toEqual([]);

    // another community's job and a platform sweep are not found for it, and stay failed
    for (const [queue, id] of [[REVOCATION_QUEUE, job.bulk('B')], [CRL_QUEUE, job.refresh]]) {
      const r = await call('POST', `/api/v1/queues/${queue}/jobs/${id}/retry`, scoped);
      expect(r.status).toBe(404);
      expect((r.json as ProblemDocument).code).toBe('not-found');
    }
    expect(await failedIds(REVOCATION_QUEUE, token)).toEqual([job.bulk('A'), job.bulk('B')].sort());
    expect(await failedIds(CRL_QUEUE, token)).toEqual([job.refresh]);

    expect((await call('POST', `/api/v1/queues/${REVOCATION_QUEUE}/jobs/${job.bulk('A')}/retry`, scoped)).status).toBe(204);
    expect((await countsOf(scoped))[REVOCATION_QUEUE]).toEqual({ ...none, waiting: 1 });
    expect(await failedIds(REVOCATION_QUEUE, token)).toEqual([job.bulk('B')]);
  });
});
