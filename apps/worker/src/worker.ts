import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { refreshStaleCrls, type Platform } from '@anchorage/authority';
import { CRL_REFRESH, schedules } from '@anchorage/jobs';

/** A running worker. */
export interface RunningWorker {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

/** BullMQ connection options from a redis:// URL. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Starts the CRL worker: registers the schedule table with upsertJobScheduler (idempotent across
 * replicas), queues a sweep at start so a worker that was down for a day replaces stale CRLs at
 * once, and processes sweeps. The processor re-reads state, so running it twice is harmless.
 */
export async function startWorker(platform: Platform, o: { redisUrl: string; crlRefreshSeconds: number; prefix?: string }): Promise<RunningWorker> {
  const connection = redisConnection(o.redisUrl);
  const prefix = o.prefix ?? 'anchorage';
  const queue = new Queue(CRL_REFRESH.queue, { connection, prefix });
  for (const s of schedules({ crlRefreshSeconds: o.crlRefreshSeconds })) {
    await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job.name, data: s.payload, opts: { attempts: s.job.attempts, backoff: { type: 'exponential', delay: s.job.backoffMs } } });
  }
  await queue.add(CRL_REFRESH.name, { reason: 'startup' }, { jobId: `crl-refresh:startup:${Date.now()}`, attempts: CRL_REFRESH.attempts, removeOnComplete: 100, removeOnFail: 1000 });
  const worker = new Worker(
    CRL_REFRESH.queue,
    async (job) => {
      CRL_REFRESH.parse(job.data);
      const results = await refreshStaleCrls(platform, { id: 'worker', role: 'system' });
      const failed = results.filter((r) => r.action === 'failed');
      if (failed.length) throw new Error(`CRL refresh failed for ${failed.map((f) => `${f.caId}: ${f.error}`).join('; ')}`);
      return results;
    },
    { connection, prefix, concurrency: 1 },
  );
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
