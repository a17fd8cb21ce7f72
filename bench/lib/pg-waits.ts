// Samples what the benchmark database's active backends wait on (pg_stat_activity), every few
// milliseconds, to tell lock waits (wait_event_type 'Lock': a row or table lock held by another
// transaction) from WAL flushes and plain CPU.
import { Client } from 'pg';

/** Samples of active backends by what they waited on, as 'Lock', 'WAL' (WALWrite, WALSync), 'other' or 'cpu' (no wait). */
export interface WaitCounts {
  samples: number;
  byKind: Record<'Lock' | 'WAL' | 'other' | 'cpu', number>;
  /** The statements seen waiting on a lock, as "wait_event: first 60 characters", with counts. */
  lockedStatements: Record<string, number>;
}

/** Starts sampling `url`'s backends whose query starts with one of `prefixes`; `stop()` ends and returns the counts. */
export async function sampleWaits(url: string, prefixes: string[], everyMs = 10): Promise<{ stop(): Promise<WaitCounts> }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const counts: WaitCounts = { samples: 0, byKind: { Lock: 0, WAL: 0, other: 0, cpu: 0 }, lockedStatements: {} };
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await c.query<{ t: string | null; e: string | null; q: string }>(
        `SELECT wait_event_type AS t, wait_event AS e, ltrim(regexp_replace(query, '\\s+', ' ', 'g')) AS q
           FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      for (const row of r.rows) {
        if (!prefixes.some((p) => row.q.startsWith(p))) continue;
        counts.samples++;
        const kind = row.t === null ? 'cpu' : row.t === 'Lock' ? 'Lock' : /^WAL/.test(row.e ?? '') ? 'WAL' : 'other';
        counts.byKind[kind]++;
        if (kind === 'Lock') {
          const key = `${row.e}: ${row.q.slice(0, 60)}`; // the lock's kind: tuple, transactionid, relation, extend, ...
          counts.lockedStatements[key] = (counts.lockedStatements[key] ?? 0) + 1;
        }
      }
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await c.end();
      return counts;
    },
  };
}
