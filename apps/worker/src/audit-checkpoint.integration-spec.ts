import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@anchorage/authority';
import { AUDIT_CHECKPOINT, PUBLISH_QUEUE } from '@anchorage/jobs';
import { testRedisUrl } from '@anchorage/testing';
import { eventually, isolatedPlatform } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

// The audit-checkpoint job on real Redis and PostgreSQL: at start, on demand, and once enough events arrived.
describe('audit checkpoint job', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let w: RunningWorker;

  const events = async (n: number) => {
    for (let i = 0; i < n; i++) await p.db.audit.append({ at: new Date(), actor: 'op', action: 'test.event', subjectType: 't', subjectId: String(i), data: { i } });
  };
  const checkpoints = async () => (await p.db.pool.query<{ seq: string }>('SELECT seq::text FROM audit_checkpoint ORDER BY audit_checkpoint.seq')).rows.map((r) => r.seq);
  /** Queues one run and waits until the worker has completed it (scheduled runs may come in between: they change nothing asserted). */
  const run = async (reason: 'manual' | 'events') => {
    const job = await w.queues.get(PUBLISH_QUEUE)!.add(AUDIT_CHECKPOINT.name, { reason }, { jobId: `audit-checkpoint.test.${randomUUID()}` });
    await eventually(`the ${reason} audit checkpoint run`, async () => {
      if (await job.isFailed()) throw new Error(`the ${reason} run failed: ${(await w.queues.get(PUBLISH_QUEUE)!.getJob(job.id!))?.failedReason}`);
      return job.isCompleted();
    });
  };

  beforeAll(async () => {
    env = await isolatedPlatform('auditjob');
    p = env.p;
    await events(4);
    w = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 100, auditCheckpointEvents: 3 });
  });
  afterAll(async () => {
    await w?.queue.obliterate({ force: true }).catch(() => undefined);
    await w?.close();
    await env?.close();
  });

  it('signs and publishes the head at start, and registers both schedules', async () => {
    await eventually('the checkpoint of the start', async () => (await checkpoints()).length === 1);
    // the four events written before the worker started, linked by its sequencer or by the job itself
    const head = (await p.db.audit.checkpoints.head())!;
    expect((await p.db.audit.unlinked(60_000)).count).toBe(0);
    expect(await checkpoints()).toEqual([head.seq.toString()]);
    await eventually('its publication', async () => existsSync(join(env.options.publishDir, 'audit', 'checkpoint.jws')));
    expect(readFileSync(join(env.options.publishDir, 'audit', 'checkpoint.jws'), 'ascii')).toBe((await p.db.audit.checkpoints.latest())!.jws);
    const schedulers = await w.queues.get(PUBLISH_QUEUE)!.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['audit-checkpoint', 'audit-checkpoint-events']);
  });

  it('signs no second checkpoint while the head stands still, and one once it moved', async () => {
    await run('manual');
    await run('manual');
    expect(await checkpoints()).toHaveLength(1);
    await events(1);
    await run('manual');
    expect(await checkpoints()).toHaveLength(2);
  });

  it('signs on the events schedule only once enough events arrived', async () => {
    await events(2);
    await run('events');
    expect(await checkpoints()).toHaveLength(2);
    await events(1);
    await run('events');
    const all = await checkpoints();
    expect(all).toHaveLength(3);
    expect(all[2]).toBe((await p.db.audit.checkpoints.head())!.seq.toString());
  });
});
