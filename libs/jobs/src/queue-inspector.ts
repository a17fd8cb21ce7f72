import { Queue, type Job } from 'bullmq';
import type { QueueCountsView } from '@anchorage/contracts';
import { QUEUES } from './definitions';
import { redisConnection } from './redis';
import { within } from './within';

/** Jobs of one queue by state (the wire type: the API returns them as they are). */
export type QueueCounts = QueueCountsView;

/** A failed job as operators see it. */
export interface FailedJob {
  id: string;
  queue: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  attempts: number;
  data: Record<string, unknown>;
  createdAt: Date;
  failedAt: Date | null;
}

/** A job of a queue with its state: what counting only some subjects' jobs needs (see jobs()). */
export interface QueuedJob {
  id: string;
  name: string;
  state: keyof QueueCounts;
  data: unknown;
}

const STATES: (keyof QueueCounts)[] = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'];
/** Jobs read per Redis call when reading whole states: bounded replies, so Redis is never held long by one. */
const PAGE = 500;

/** Thrown when Redis cannot answer (down, or not reachable from here). */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/** Thrown for a queue or job that does not exist. */
export class QueueNotFoundError extends Error {}

/**
 * Reads the platform's queues (counts, failed jobs) and retries failed jobs, for the API's queue page
 * and the worker's metrics. Its connection fails fast: while Redis is down a call throws
 * QueueUnavailableError at once instead of waiting for a reconnect.
 */
export class QueueInspector {
  private readonly queues: Map<string, Queue>;

  constructor(redisUrl: string, prefix: string, private readonly timeoutMs = 3000) {
    const connection = redisConnection(redisUrl, { failFast: true });
    this.queues = new Map(QUEUES.map((name) => {
      const q = new Queue(name, { connection, prefix });
      q.on('error', () => undefined); // reported to callers through their own calls
      return [name, q];
    }));
  }

  /** Names of the queues. */
  get names(): string[] {
    return [...this.queues.keys()];
  }

  private queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new QueueNotFoundError(`no queue named ${name}; the queues are ${this.names.join(', ')}`);
    return q;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await within(this.timeoutMs, fn(), () => new QueueUnavailableError(`Redis did not answer within ${this.timeoutMs} ms`));
    } catch (err) {
      if (err instanceof QueueUnavailableError || err instanceof QueueNotFoundError) throw err;
      throw new QueueUnavailableError(`cannot ${what}: Redis is unreachable (${(err as Error).message})`);
    }
  }

  /** Counts of every queue. */
  async counts(): Promise<{ name: string; counts: QueueCounts }[]> {
    return this.call('count the jobs', () => Promise.all([...this.queues.entries()].map(async ([name, q]) => {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
      return { name, counts: { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0, paused: c.paused ?? 0 } };
    })));
  }

  /**
   * Every job of every queue with its state, read a page at a time (pages are a snapshot each, so a
   * job that moves meanwhile may be missed or seen twice: good enough for counts).
   */
  async jobs(): Promise<{ name: string; jobs: QueuedJob[] }[]> {
    return Promise.all([...this.queues.entries()].map(async ([name, q]) => {
      const jobs: QueuedJob[] = [];
      for (const state of STATES) {
        for (const j of await this.all(q, state, true)) jobs.push({ id: j.id ?? '', name: j.name, state, data: j.data });
      }
      return { name, jobs };
    }));
  }

  private async all(q: Queue, state: keyof QueueCounts, asc: boolean): Promise<Job[]> {
    const out: Job[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await this.call('read the jobs', () => q.getJobs([state], start, start + PAGE - 1, asc));
      out.push(...page.filter((j): j is Job => Boolean(j)));
      if (page.length < PAGE) return out;
    }
  }

  /** Failed jobs of a queue, newest first, and how many there are. */
  async failed(name: string, start: number, end: number): Promise<{ items: FailedJob[]; total: number }> {
    const q = this.queue(name);
    return this.call('list failed jobs', async () => {
      const [jobs, total] = await Promise.all([q.getFailed(start, end), q.getFailedCount()]);
      return { items: jobs.filter((j): j is Job => Boolean(j)).map((j) => failedJob(name, j)), total };
    });
  }

  /** Every failed job of a queue, newest first (for a caller that keeps only some of them). */
  async allFailed(name: string): Promise<FailedJob[]> {
    return (await this.all(this.queue(name), 'failed', false)).map((j) => failedJob(name, j));
  }

  /** One failed job of a queue; null when the queue holds no such job or it is not failed. */
  async failedJob(name: string, id: string): Promise<FailedJob | null> {
    const q = this.queue(name);
    return this.call('read the job', async () => {
      const job = await q.getJob(id);
      return job && (await job.isFailed()) ? failedJob(name, job) : null;
    });
  }

  /** Moves a failed job back to waiting (a worker runs it again); QueueNotFoundError when it is not failed. */
  async retry(name: string, id: string): Promise<void> {
    const q = this.queue(name);
    await this.call('retry the job', async () => {
      const job = await q.getJob(id);
      if (!job || !(await job.isFailed())) throw new QueueNotFoundError(`no failed job ${id} in ${name}`);
      await job.retry('failed');
    });
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}

function failedJob(queue: string, j: Job): FailedJob {
  return {
    id: j.id ?? '', queue, name: j.name, failedReason: j.failedReason ?? '', attemptsMade: j.attemptsMade, attempts: j.opts.attempts ?? 1,
    data: (j.data ?? {}) as Record<string, unknown>, createdAt: new Date(j.timestamp), failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
  };
}
