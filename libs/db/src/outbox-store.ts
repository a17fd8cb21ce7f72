// Transactional outbox (issue: workers). A use case writes the job its state change implies in the
// same transaction (`enqueue`); the worker's relay moves committed rows into BullMQ and marks them
// relayed, in one transaction per batch, so a crash between the two only re-adds a job id BullMQ
// already holds (it ignores a duplicate id). A processor marks its row completed; a row relayed
// long ago but never completed, whose job Redis no longer has (a Redis restart without
// persistence), is relayed again.
import { OUTBOX_CHANNEL } from './channels';
import { listenOn } from './crl-listener';
import type { OutboxJob, OutboxRecord } from './records';
import type { StoreScope } from './scope';

interface OutboxRow {
  id: string; job_id: string; queue: string; name: string; payload: Record<string, unknown>; created_at: Date;
  relayed_at: Date | null; relay_count: number; completed_at: Date | null; last_error: string | null;
}

const COLUMNS = 'id, job_id, queue, name, payload, created_at, relayed_at, relay_count, completed_at, last_error';

function toOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: r.id, jobId: r.job_id, queue: r.queue, name: r.name, payload: r.payload, createdAt: r.created_at, relayedAt: r.relayed_at,
    relayCount: r.relay_count, completedAt: r.completed_at, lastError: r.last_error,
  };
}

/** The outbox INSERT of any number of jobs (parameters: outboxParams); a job id that exists is skipped. */
export const OUTBOX_INSERT_SQL = `INSERT INTO outbox (id, job_id, queue, name, payload)
  SELECT gen_random_uuid(), j, q, n, p::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(j, q, n, p)
  ON CONFLICT (job_id) DO NOTHING`;

/** The parameters of OUTBOX_INSERT_SQL for `jobs`. */
export function outboxParams(jobs: OutboxJob[]): unknown[] {
  return [jobs.map((j) => j.jobId), jobs.map((j) => j.queue), jobs.map((j) => j.name), jobs.map((j) => JSON.stringify(j.payload))];
}

/** Writes outbox rows inside the caller's transaction (see the file comment). */
export class OutboxWriter {
  constructor(private readonly s: StoreScope) {}

  /** Adds a job unless one with the same job id exists; true when added. */
  async enqueue(job: OutboxJob): Promise<boolean> {
    return (await this.enqueueMany([job])) === 1;
  }

  /** Adds many jobs in one statement, skipping job ids that exist; returns how many were added. */
  async enqueueMany(jobs: OutboxJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    return this.s.sql.execute(OUTBOX_INSERT_SQL, outboxParams(jobs));
  }
}

/** Backlog figures of the outbox, for metrics. */
export interface OutboxBacklog {
  unrelayed: number;
  oldestUnrelayedSeconds: number;
  relayedIncomplete: number;
}

/** The relay's side of the outbox (short transactions of its own). */
export class OutboxRelayStore {
  constructor(private readonly s: StoreScope) {}

  /** Calls `onJobs` whenever jobs are committed to the outbox (and after a dropped connection came back); resolves to a stop function. */
  onCommitted(onJobs: () => void, opts: { retryMs?: number } = {}): Promise<() => Promise<void>> {
    return listenOn(this.s.pool, OUTBOX_CHANNEL, () => onJobs(), { ...opts, onReconnect: onJobs });
  }

  /**
   * Locks up to `limit` unrelayed rows (SKIP LOCKED: relays of other worker replicas take other
   * rows), hands them to `deliver`, and marks them relayed when it resolves; if it throws (Redis
   * down), nothing is marked and the rows wait for the next round. Returns the rows relayed.
   */
  async relayPending(limit: number, deliver: (rows: OutboxRecord[]) => Promise<void>): Promise<OutboxRecord[]> {
    return this.relayWhere('relayed_at IS NULL ORDER BY created_at', [], limit, deliver);
  }

  /**
   * Like relayPending, for rows relayed over `olderThanSeconds` ago and still not completed; `deliver` re-adds
   * the ones whose job the queue no longer holds.
   */
  async relayStale(olderThanSeconds: number, limit: number, deliver: (rows: OutboxRecord[]) => Promise<void>): Promise<OutboxRecord[]> {
    return this.relayWhere(
      'relayed_at IS NOT NULL AND completed_at IS NULL AND relayed_at < now() - make_interval(secs => $2::double precision) ORDER BY relayed_at', [olderThanSeconds], limit, deliver,
    );
  }

  private relayWhere(where: string, params: unknown[], limit: number, deliver: (rows: OutboxRecord[]) => Promise<void>): Promise<OutboxRecord[]> {
    return this.s.transaction(async ({ sql }) => {
      const picked = await sql.query<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE ${where} LIMIT $1::int FOR UPDATE SKIP LOCKED`, [limit, ...params]);
      if (picked.length === 0) return [];
      const rows = picked.map(toOutbox);
      await deliver(rows);
      await sql.execute('UPDATE outbox SET relayed_at = now(), relay_count = relay_count + 1 WHERE id = ANY($1::uuid[])', [rows.map((x) => x.id)]);
      return rows;
    });
  }

  /** Marks a job done; false when it already was (a second run must then do nothing). */
  async complete(jobId: string): Promise<boolean> {
    return (await this.s.sql.execute('UPDATE outbox SET completed_at = now(), last_error = NULL WHERE job_id = $1 AND completed_at IS NULL AND relayed_at IS NOT NULL', [jobId])) === 1;
  }

  /** True when the job's row is marked completed. */
  async isCompleted(jobId: string): Promise<boolean> {
    const [r] = await this.s.sql.query<{ done: boolean }>('SELECT completed_at IS NOT NULL AS done FROM outbox WHERE job_id = $1', [jobId]);
    return r?.done === true;
  }

  /** Records why a run of the job failed (shown with the job; the queue retries it). */
  async recordError(jobId: string, error: string): Promise<void> {
    await this.s.sql.execute('UPDATE outbox SET last_error = $2 WHERE job_id = $1', [jobId, error.slice(0, 2000)]);
  }

  /** One row by job id. */
  async find(jobId: string): Promise<OutboxRecord | null> {
    const [r] = await this.s.sql.query<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE job_id = $1`, [jobId]);
    return r ? toOutbox(r) : null;
  }

  /** The jobs not completed yet, with their payloads (for a backlog restricted to some subjects' jobs). */
  async incomplete(): Promise<{ name: string; payload: Record<string, unknown>; relayed: boolean; ageSeconds: number }[]> {
    // the predicates of the two partial indexes backlog() counts with, so completed rows are never read
    const rows = await this.s.sql.query<{ name: string; payload: Record<string, unknown>; relayed: boolean; age: number }>(
      `SELECT name, payload, false AS relayed, extract(epoch FROM now() - created_at)::float8 AS age FROM outbox WHERE relayed_at IS NULL
       UNION ALL
       SELECT name, payload, true, extract(epoch FROM now() - created_at)::float8 FROM outbox WHERE relayed_at IS NOT NULL AND completed_at IS NULL`, [],
    );
    return rows.map((x) => ({ name: x.name, payload: x.payload, relayed: x.relayed, ageSeconds: x.age }));
  }

  /** How far behind the relay is. */
  async backlog(): Promise<OutboxBacklog> {
    const [r] = await this.s.sql.query<{ u: number; age: number | null; i: number }>(
      `SELECT (SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL) AS u,
              (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM outbox WHERE relayed_at IS NULL) AS age,
              (SELECT count(*)::int FROM outbox WHERE relayed_at IS NOT NULL AND completed_at IS NULL) AS i`, [],
    );
    return { unrelayed: r.u, oldestUnrelayedSeconds: r.age ?? 0, relayedIncomplete: r.i };
  }
}
