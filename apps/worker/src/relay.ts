import type { Queue } from 'bullmq';
import { within } from '@anchorage/jobs';
import type { OutboxRecord, OutboxRelayStore } from '@anchorage/db';
import { jobOptions } from './job-options';

/** Settings of the outbox relay. */
export interface RelayOptions {
  pollMs: number;
  /** Rows relayed this long ago and still not completed are checked against the queue (Redis may have lost them). */
  redeliverAfterSeconds: number;
  batchSize?: number;
  onError?: (err: Error) => void;
  /** Run with every stale check (the worker re-registers its schedules: a Redis restarted empty lost them). */
  periodic?: () => Promise<void>;
  /**
   * Longest wait for Redis in one round (default 5 s). BullMQ waits for a lost connection to come
   * back before sending a command, so without a limit a round, and the rows it locks, would hang
   * for as long as Redis is down. A job Redis accepts after the round gave up is added again next
   * round under the same id, which BullMQ ignores.
   */
  redisTimeoutMs?: number;
  /** First retry delay of every job, instead of each definition's (tests). */
  backoffMs?: number;
}

/**
 * Moves committed outbox rows into BullMQ (libs/db outbox-store.ts). Every worker replica runs
 * one; SKIP LOCKED gives each its own rows. While Redis is down each round fails fast and the
 * rows stay for the next; nothing is lost and the API never notices.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private inRound = false;
  private wakeAgain = false;
  private unlisten: (() => Promise<void>) | null = null;
  private lastStaleCheck = 0;
  /** Rows relayed since start (for metrics and tests). */
  relayed = 0;
  /** Failed rounds since start (Redis down, for instance). */
  failedRounds = 0;

  constructor(
    private readonly store: OutboxRelayStore,
    private readonly queues: Map<string, Queue>,
    private readonly o: RelayOptions,
  ) {}

  /**
   * Starts relaying: at once whenever PostgreSQL announces committed jobs (the outbox trigger's
   * NOTIFY), and every `pollMs` in any case (a notification can be missed while reconnecting).
   */
  async start(): Promise<void> {
    this.unlisten = await this.store.onCommitted(() => this.wake()).catch((err: Error) => {
      this.o.onError?.(new Error(`cannot listen for outbox notifications (polling only): ${err.message}`));
      return null;
    });
    this.schedule(0);
  }

  /** Stops after the round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  /** Runs a round now (or right after the one in flight). */
  wake(): void {
    if (this.stopped) return;
    if (this.inRound) this.wakeAgain = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inRound = true;
      this.wakeAgain = false;
      const next = (ms2: number) => {
        this.inRound = false;
        this.schedule(ms2);
      };
      this.running = this.round().then((busy) => next(busy || this.wakeAgain ? 0 : this.o.pollMs), (err: Error) => {
        this.failedRounds += 1;
        this.o.onError?.(err);
        next(this.o.pollMs); // after a failure (Redis down) wait, however many notifications arrive
      });
    }, ms);
  }

  /** One round: new rows, and now and then the stale ones; true when there may be more right away. */
  async round(): Promise<boolean> {
    const limit = this.o.batchSize ?? 200;
    const rows = await this.store.relayPending(limit, (batch) => this.redis('add jobs', () => this.add(batch)));
    this.relayed += rows.length;
    if (Date.now() - this.lastStaleCheck > Math.min(this.o.redeliverAfterSeconds * 1000, 60_000)) {
      await this.store.relayStale(this.o.redeliverAfterSeconds, limit, (batch) => this.redis('re-add lost jobs', async () => {
        const missing: OutboxRecord[] = [];
        for (const r of batch) if (!(await this.queue(r.queue).getJob(r.jobId))) missing.push(r);
        await this.add(missing);
      }));
      const periodic = this.o.periodic;
      if (periodic) await this.redis('register schedules', periodic);
      this.lastStaleCheck = Date.now();
    }
    return rows.length === limit;
  }

  private redis<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const ms = this.o.redisTimeoutMs ?? 5000;
    return within(ms, fn(), () => new Error(`cannot ${what}: Redis did not answer within ${ms} ms`));
  }

  private queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`outbox row for unknown queue ${name}`);
    return q;
  }

  private async add(rows: OutboxRecord[]): Promise<void> {
    const byQueue = new Map<string, OutboxRecord[]>();
    for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    for (const [name, list] of byQueue) {
      // the job id is the outbox job id: adding one BullMQ still holds is a no-op
      await this.queue(name).addBulk(list.map((r) => ({ name: r.name, data: r.payload, opts: jobOptions(r.name, r.jobId, this.o.backoffMs) })));
    }
  }
}
