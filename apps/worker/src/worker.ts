import { Queue, Worker, type Job } from 'bullmq';
import type { Platform } from '@anchorage/authority';
import { BULK_REVOKE, CRL_QUEUE, CRL_REFRESH, QUEUES, REVOCATION_QUEUE, redisConnection, schedules } from '@anchorage/jobs';
import { jobOptions } from './job-options';
import { ProcessorCounters, processJob } from './processors';
import { OutboxRelay } from './relay';

export { redisConnection } from '@anchorage/jobs';

/** Settings of a worker (apps/worker main.ts passes them from the validated configuration). */
export interface WorkerOptions {
  redisUrl: string;
  crlRefreshSeconds: number;
  prefix?: string;
  jobLockSeconds?: number;
  relayPollMs?: number;
  /** Outbox rows relayed this long ago and never completed are checked against Redis (default 300 s). */
  redeliverAfterSeconds?: number;
  bulkBatchSize?: number;
  /** Longest wait for Redis in one relay round (default 5 s). */
  redisTimeoutMs?: number;
  /** Called with every failure worth a log line (relay rounds, failed jobs). */
  log?: (line: string) => void;
}

/** A running worker. */
export interface RunningWorker {
  /** The queue of CRL work (kept as `queue` for callers that watch the CRL sweep). */
  queue: Queue;
  queues: Map<string, Queue>;
  workers: Worker[];
  relay: OutboxRelay;
  counters: ProcessorCounters;
  close(): Promise<void>;
}

/**
 * Starts the worker: one BullMQ queue and processor per queue of libs/jobs, the outbox relay, the
 * schedule table registered with upsertJobScheduler (idempotent across replicas), and a CRL sweep at
 * start, so a worker that was down for a day replaces stale CRLs at once.
 */
export async function startWorker(platform: Platform, o: WorkerOptions): Promise<RunningWorker> {
  const prefix = o.prefix ?? 'anchorage';
  const log = o.log ?? (() => undefined);
  const producer = redisConnection(o.redisUrl, { failFast: true });
  const queues = new Map<string, Queue>(QUEUES.map((name) => [name, new Queue(name, { connection: producer, prefix })]));
  // without a listener, a connection error while Redis is down would be printed for every retry
  for (const q of queues.values()) q.on('error', (err) => log(`queue ${q.name}: ${err.message}`));
  const crlQueue = queues.get(CRL_QUEUE)!;
  const registerSchedules = async () => {
    for (const s of schedules({ crlRefreshSeconds: o.crlRefreshSeconds })) {
      const opts = jobOptions(s.job.name, s.id);
      await queues.get(s.job.queue)!.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job.name, data: s.payload, opts: { attempts: opts.attempts, backoff: opts.backoff } });
    }
  };
  await registerSchedules();
  await crlQueue.add(CRL_REFRESH.name, { reason: 'startup' }, { ...jobOptions(CRL_REFRESH.name, `crl-refresh.startup.${Date.now()}`), removeOnComplete: 100 });

  const counters = new ProcessorCounters();
  const processor = processJob(platform, counters, { bulkBatchSize: o.bulkBatchSize ?? 500 });
  const lockDuration = (o.jobLockSeconds ?? 30) * 1000;
  const common = {
    connection: redisConnection(o.redisUrl), prefix, lockDuration, stalledInterval: lockDuration,
    // a job whose worker died is taken over; a long bulk revocation may see several crashes
    maxStalledCount: 10,
  };
  const workers = [
    new Worker(CRL_QUEUE, processor, { ...common, concurrency: 1 }),
    new Worker(REVOCATION_QUEUE, processor, { ...common, concurrency: 2 }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) => void onFailed(platform, counters, job, err, log));
    w.on('error', (err) => log(`worker error: ${err.message}`));
  }
  const relay = new OutboxRelay(platform.db.outboxRelay, queues, {
    pollMs: o.relayPollMs ?? 500, redeliverAfterSeconds: o.redeliverAfterSeconds ?? 300, onError: (err) => log(`outbox relay: ${err.message}`),
    periodic: registerSchedules, redisTimeoutMs: o.redisTimeoutMs,
  });
  relay.start();
  return {
    queue: crlQueue,
    queues,
    workers,
    relay,
    counters,
    async close() {
      await relay.stop();
      // a clean close waits for running jobs; if Redis is unreachable that could be forever, so after
      // 10 s the workers are closed by force (their jobs' locks expire and another replica resumes them)
      await Promise.all(workers.map((w) => within(10_000, w.close()).catch(() => w.close(true))));
      await Promise.all([...queues.values()].map((q) => within(5_000, q.close()).catch(() => undefined)));
    },
  };
}

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

async function onFailed(platform: Platform, counters: ProcessorCounters, job: Job | undefined, err: Error, log: (line: string) => void): Promise<void> {
  if (!job) return;
  counters.bump(counters.failed, job.name);
  const final = job.attemptsMade >= (job.opts.attempts ?? 1);
  log(`job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}${final ? ', giving up' : ''}): ${err.message}`);
  try {
    if (job.id) await platform.db.outboxRelay.recordError(job.id, err.message);
    if (job.name === BULK_REVOKE.name) await platform.db.bulkRevocations.recordFailure(BULK_REVOKE.parse(job.data).bulkRevocationId, err.message, final);
  } catch (e) {
    log(`could not record the failure of ${job.id}: ${(e as Error).message}`);
  }
}
