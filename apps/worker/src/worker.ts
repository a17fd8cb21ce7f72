import { Queue, Worker, type Job } from 'bullmq';
import { AuditSequencer, refreshStaleCrls, type Platform } from '@anchorage/authority';
import {
  AUDIT_CHECKPOINT, BULK_REVOKE, CONFORMANCE_QUEUE, CONFORMANCE_SCAN, CRL_QUEUE, CRL_REFRESH, EXPIRY_SCAN, NOTICES_QUEUE, PUBLISH_QUEUE, QUEUES, REVOCATION_NOTICES_QUEUE,
  REVOCATION_QUEUE, redisConnection, schedules, within,
} from '@anchorage/jobs';
import { jobOptions } from './job-options';
import { ProcessorCounters, processJob, WORKER_ACTOR } from './processors';
import { OutboxRelay } from './relay';

export { redisConnection } from '@anchorage/jobs';

/** Settings of a worker (apps/worker main.ts passes them from the validated configuration). */
export interface WorkerOptions {
  redisUrl: string;
  crlRefreshSeconds: number;
  /** How often the expiry scan runs (default daily); it also runs at start. */
  expiryScanSeconds?: number;
  /** Days before notAfter at which member admins are notified (default 30, 14, 7, 1). */
  noticeDays?: number[];
  /** Days before a CA's notAfter at which its operators are warned (default 180, 90, 30, 7). */
  caNoticeDays?: number[];
  /** How often the audit chain head is signed and published when it moved (default 600 s); it also runs at start. */
  auditCheckpointSeconds?: number;
  /** Sign an audit checkpoint sooner once this many events arrived (default 1000; 0: only by time). */
  auditCheckpointEvents?: number;
  /** How often the audit sequencer looks for committed rows to link (default 250 ms). */
  auditLinkMs?: number;
  prefix?: string;
  jobLockSeconds?: number;
  relayPollMs?: number;
  /** Outbox rows relayed this long ago and never completed are checked against Redis (default 300 s). */
  redeliverAfterSeconds?: number;
  bulkBatchSize?: number;
  /** First retry delay of every job instead of each definition's (tests). */
  backoffMs?: number;
  /** Longest wait for Redis in one relay round (default 5 s). */
  redisTimeoutMs?: number;
  /** Called with every failure worth a log line (relay rounds, failed jobs). */
  log?: (line: string) => void;
  /** Endpoint conformance monitoring (docs/conformance.md); defaults: hourly, 16 checks at a time, 30 days of history, 7 days of grace. */
  conformance?: { scanSeconds?: number; concurrency?: number; retentionDays?: number; graceDays?: number };
}

/** A running worker. */
export interface RunningWorker {
  /** The queue of CRL work (kept as `queue` for callers that watch the CRL sweep). */
  queue: Queue;
  queues: Map<string, Queue>;
  workers: Worker[];
  relay: OutboxRelay;
  counters: ProcessorCounters;
  /** Links committed audit rows into the hash chain (one linker at a time across replicas). */
  sequencer: AuditSequencer;
  close(): Promise<void>;
}

/**
 * Starts the worker: one BullMQ queue and processor per queue of libs/jobs, the outbox relay, the
 * schedule table registered with upsertJobScheduler (idempotent across replicas), and a CRL sweep, an
 * expiry scan, an audit checkpoint and a conformance scan at start, so a worker that was down for a day replaces stale CRLs
 * at once.
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
    for (const s of schedules({
      crlRefreshSeconds: o.crlRefreshSeconds, expiryScanSeconds: o.expiryScanSeconds ?? 86400, auditCheckpointSeconds: o.auditCheckpointSeconds,
      auditCheckpointEvents: o.auditCheckpointEvents, conformanceScanSeconds: o.conformance?.scanSeconds,
    })) {
      const opts = jobOptions(s.job.name, s.id);
      // retention too: the audit checkpoint's look for new events runs every minute, and kept forever its jobs would fill Redis
      await queues.get(s.job.queue)!.upsertJobScheduler(s.id, { every: s.everyMs }, {
        name: s.job.name, data: s.payload, opts: { attempts: opts.attempts, backoff: opts.backoff, removeOnComplete: opts.removeOnComplete, removeOnFail: opts.removeOnFail },
      });
    }
  };
  const counters = new ProcessorCounters();
  // CRL freshness must not depend on Redis: a sweep runs in process at start when Redis cannot take
  // the startup job, and whenever no queued sweep completed for two intervals (refreshStaleCrls is safe
  // to run anywhere at any time: generation is serialized per CA, and fresh CRLs are left alone)
  const sweepDirectly = (why: string) => {
    log(`CRL sweep in process: ${why}`);
    counters.directSweeps += 1;
    return refreshStaleCrls(platform, WORKER_ACTOR).then((results) => {
      counters.countSweep(results);
      counters.lastCrlSweepAt = Date.now();
    }, (err: Error) => log(`CRL sweep failed: ${err.message}`));
  };
  try {
    await registerSchedules();
    await crlQueue.add(CRL_REFRESH.name, { reason: 'startup' }, { ...jobOptions(CRL_REFRESH.name, `crl-refresh.startup.${Date.now()}`), removeOnComplete: 100 });
    await queues.get(NOTICES_QUEUE)!.add(EXPIRY_SCAN.name, { reason: 'startup' }, { ...jobOptions(EXPIRY_SCAN.name, `expiry-scan.startup.${Date.now()}`), removeOnComplete: 100 });
    await queues.get(PUBLISH_QUEUE)!.add(AUDIT_CHECKPOINT.name, { reason: 'startup' }, { ...jobOptions(AUDIT_CHECKPOINT.name, `audit-checkpoint.startup.${Date.now()}`), removeOnComplete: 100 });
    await queues.get(CONFORMANCE_QUEUE)!.add(CONFORMANCE_SCAN.name, { reason: 'startup' }, { ...jobOptions(CONFORMANCE_SCAN.name, `conformance-scan.startup.${Date.now()}`), removeOnComplete: 100 });
  } catch (err) {
    await sweepDirectly(`Redis is unreachable at start (${(err as Error).message}); schedules are registered once it is back`);
  }
  const intervalMs = o.crlRefreshSeconds * 1000;
  const watchdog = setInterval(() => {
    if (Date.now() - counters.lastCrlSweepAt > 2 * intervalMs) void sweepDirectly(`no queued sweep completed for ${Math.round((Date.now() - counters.lastCrlSweepAt) / 1000)} s (Redis down?)`);
  }, intervalMs);
  watchdog.unref();

  const processor = processJob(platform, counters, {
    bulkBatchSize: o.bulkBatchSize ?? 500, noticeDays: o.noticeDays, caNoticeDays: o.caNoticeDays, auditCheckpointEvents: o.auditCheckpointEvents,
    conformance: { scanSeconds: o.conformance?.scanSeconds ?? 3600, retentionDays: o.conformance?.retentionDays, graceDays: o.conformance?.graceDays },
  });
  const lockDuration = (o.jobLockSeconds ?? 30) * 1000;
  const common = {
    connection: redisConnection(o.redisUrl), prefix, lockDuration, stalledInterval: lockDuration,
    // a job whose worker died is taken over; a long bulk revocation may see several crashes
    maxStalledCount: 10,
  };
  const workers = [
    new Worker(CRL_QUEUE, processor, { ...common, concurrency: 1 }),
    new Worker(REVOCATION_QUEUE, processor, { ...common, concurrency: 2 }),
    new Worker(NOTICES_QUEUE, processor, { ...common, concurrency: 4 }),
    new Worker(PUBLISH_QUEUE, processor, { ...common, concurrency: 2 }),
    // relying parties are told within a second of a revocation: a queue of its own, and many
    // deliveries at once (each waits on a remote server, up to the outbound guard's 10 s)
    new Worker(REVOCATION_NOTICES_QUEUE, processor, { ...common, concurrency: 16 }),
    // the checks' own concurrency: each mostly waits on a member's server (bounded by the fetch deadline)
    new Worker(CONFORMANCE_QUEUE, processor, { ...common, concurrency: o.conformance?.concurrency ?? 16 }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) => void onFailed(platform, counters, job, err, log));
    w.on('error', (err) => log(`worker error: ${err.message}`));
  }
  const relay = new OutboxRelay(platform.db.outboxRelay, queues, {
    pollMs: o.relayPollMs ?? 500, redeliverAfterSeconds: o.redeliverAfterSeconds ?? 300, onError: (err) => log(`outbox relay: ${err.message}`),
    periodic: registerSchedules, redisTimeoutMs: o.redisTimeoutMs, backoffMs: o.backoffMs,
  });
  await relay.start();
  const sequencer = new AuditSequencer(platform, { intervalMs: o.auditLinkMs, log });
  sequencer.start();
  return {
    queue: crlQueue,
    queues,
    workers,
    relay,
    counters,
    sequencer,
    async close() {
      clearInterval(watchdog);
      await sequencer.stop();
      await relay.stop();
      // a clean close waits for running jobs; if Redis is unreachable that could be forever, so after
      // 10 s the workers are closed by force (their jobs' locks expire and another replica resumes them)
      await Promise.all(workers.map((w) => within(10_000, w.close()).catch(() => w.close(true))));
      await Promise.all([...queues.values()].map((q) => within(5_000, q.close()).catch(() => undefined)));
    },
  };
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
