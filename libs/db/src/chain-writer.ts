// Group commit for the short transactions that end with audit events (issuance intents and
// completions, standalone audit appends). Every audit append serializes on the chain lock and every
// commit waits for its WAL flush, so one transaction per request caps a process at a few hundred per
// second. The writer queues requests and runs whatever is queued as ONE transaction on one pooled
// client, in two round trips (and up to two such groups in flight, see MAX_LANES):
//
//   BEGIN; <item 1 sql>; ...; <item n sql>; SELECT <chain lock>; SELECT <chain head>
//   INSERT INTO audit_event ... (events of the items that passed their check, in order); COMMIT
//
// Each item's SQL must write nothing unless its own check passes (conditional INSERT / UPDATE ...
// WHERE), so an item refused by its check leaves nothing behind while the others commit. An SQL
// error aborts the whole transaction; the batch is then rerun one item per transaction, so each
// request gets its own outcome. While a batch is in flight the next one gathers.
import type { Pool, QueryResult } from 'pg';
import { AUDIT_GENESIS } from './audit-hash';
import { lockAuditChainSql, lockedAuditInsertSqlFromHead, prepareAuditRow, type PreparedAuditRow } from './audit-store';
import { onTransactionClient } from './pg-transaction';
import type { AuditInput } from './records';

/** A statement PREPAREd once per connection, so PostgreSQL does not plan it for every request. */
export interface PreparedStatement {
  name: string;
  /** The whole `PREPARE <name>(<types>) AS ...` command. */
  sql: string;
}

/** One request: statements to run, how to read their rows, and the audit events to append if it passes. */
export interface ChainItem<T> {
  /** SQL (one or more statements, values as escaped literals) that writes only if `check` will pass; '' for none. */
  sql: string;
  /** Number of statements in `sql` (each yields one result). */
  statements: number;
  /** Reads the rows of the item's last statement; throws to refuse the item. */
  check: (rows: Record<string, unknown>[]) => T;
  /** Audit events of the item, appended in order after those of earlier items. */
  events: AuditInput[];
  /** Statements `sql` EXECUTEs; prepared on the connection first if it has not seen them. */
  prepared?: PreparedStatement[];
  /** Maps an SQL error of this item run alone (e.g. a unique violation) to the error its caller expects. */
  mapError?: (err: unknown) => unknown;
}

interface Queued {
  item: ChainItem<unknown>;
  /** The item's audit events, serialized when it was queued (only the chain links are left). */
  rows: PreparedAuditRow[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Largest batch: bounds the SQL text of one round trip and the time the chain lock is held. */
const MAX_BATCH = 64;
/**
 * Batches in flight at once. A batch's own statements run before it takes the chain lock, so a
 * second batch executes its statements (on another server process, another core) while the first
 * holds the lock and commits; a third would only wait for the lock.
 */
const MAX_LANES = 2;

/** Whether an error came from the server (SQLSTATE): the transaction failed, the connection did not. */
function isServerError(err: unknown): boolean {
  return typeof (err as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
}

/** Queues chain transactions and commits them in groups (see the file comment). */
export class ChainWriter {
  private queue: Queued[] = [];
  /** Prepared statement names per pooled connection (a new connection starts with none). */
  private preparedOn = new WeakMap<object, Set<string>>();
  private readonly lanes = new Set<Promise<void>>();
  private active = 0;

  constructor(private readonly pool: Pool) {}

  /** Runs `item` in a coming group commit; resolves with its check's value once committed. */
  run<T>(item: ChainItem<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ item: item as ChainItem<unknown>, rows: item.events.map(prepareAuditRow), resolve: resolve as (v: unknown) => void, reject });
      if (this.active < MAX_LANES) {
        this.active++; // counted here and released in drainLoop's last synchronous step: no request is left queued without a lane
        const lane = this.drainLoop();
        this.lanes.add(lane);
        void lane.then(() => this.lanes.delete(lane));
      }
    });
  }

  /** Resolves once nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.lanes.size) await Promise.all(this.lanes);
  }

  private async drainLoop(): Promise<void> {
    try {
      // let every request of this turn of the event loop join the first batch
      await new Promise<void>((r) => setImmediate(r));
      while (this.queue.length) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.active--;
    }
  }

  private async runBatch(batch: Queued[], afterDeallocate = false): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.commitGroup(batch);
    } catch (err) {
      if ((err as { code?: string }).code === '26000' && !afterDeallocate) {
        // a prepared statement this writer counted on is gone (someone ran DEALLOCATE or DISCARD on the
        // shared pool's connection): forget what was prepared where, and prepare again
        this.preparedOn = new WeakMap();
        return this.runBatch(batch, true);
      }
      if (batch.length > 1 && isServerError(err)) {
        // one item's SQL failed and took the group with it: give each item its own transaction
        for (const q of batch) await this.runBatch([q]);
        return;
      }
      for (const q of batch) q.reject(q.item.mapError ? q.item.mapError(err) : err);
      return;
    }
    batch.forEach((q, i) => {
      const o = outcomes[i];
      if (o.ok) q.resolve(o.value);
      else q.reject(o.error);
    });
  }

  private commitGroup(batch: Queued[]): Promise<Outcome[]> {
    return onTransactionClient(this.pool, async (c) => {
      let names = this.preparedOn.get(c);
      if (!names) this.preparedOn.set(c, (names = new Set()));
      const missing = new Map<string, string>();
      for (const p of batch.flatMap((q) => q.item.prepared ?? [])) if (!names.has(p.name)) missing.set(p.name, p.sql);
      if (missing.size) {
        // outside the transaction: a prepared statement outlives it, whatever it does
        await c.query([...missing.values()].join(';\n'));
        for (const name of missing.keys()) names.add(name);
      }
      const sql = ['BEGIN', ...batch.map((q) => q.item.sql).filter((s) => s !== ''), `SELECT ${lockAuditChainSql} AS locked`, 'SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1'];
      const results = (await c.query(sql.join(';\n'))) as unknown as QueryResult[];
      let at = 1;
      const rows: PreparedAuditRow[] = [];
      const outcomes = batch.map(({ item, rows: itemRows }): Outcome => {
        at += item.statements;
        try {
          const value = item.check(item.statements ? results[at - 1].rows : []);
          rows.push(...itemRows);
          return { ok: true, value };
        } catch (error) {
          return { ok: false, error };
        }
      });
      const head = (results[at + 1].rows[0]?.hash as string | undefined) ?? AUDIT_GENESIS;
      await c.query(rows.length ? `${lockedAuditInsertSqlFromHead(head, rows)};\nCOMMIT` : 'ROLLBACK');
      return outcomes;
    });
  }
}
