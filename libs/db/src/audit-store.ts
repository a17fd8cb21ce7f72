// The audit log's storage. Business transactions INSERT plain rows (no lock, no chain head read), each with
// its seq in the audit_unlinked queue; one sequencer at a time (linkAuditEvents, run by the worker) links
// committed rows into the hash chain within a bounded delay, writing their links to audit_link: an audit
// row is never updated (migrations 20261204000000_audit_sequencer and 20261207000000_audit_link_table,
// docs/audit.md).
import { AUDIT_GENESIS, auditHash } from './audit-hash';
import type { AuditCheckpointStore } from './audit-checkpoint-store';
import { pgRunner, pgTransaction, type SqlRunner } from './pg-transaction';
import { containsPattern, likeLiteral, SqlConditions } from './sql-search';
import type { StoreScope } from './scope';
import type { AuditInput, AuditRecord, ChainedAuditRecord } from './records';


/** Milliseconds precision, as stored (timestamptz(3)), so the hash verifies after a round trip. */
function truncateToMs(d: Date): Date {
  return new Date(Math.floor(d.getTime()));
}

/** The six parameters of auditInsertSql for `inputs`: one array per column. */
export function auditParams(inputs: AuditInput[]): unknown[] {
  return [
    inputs.map((e) => truncateToMs(e.at).toISOString()), inputs.map((e) => e.actor), inputs.map((e) => e.action),
    inputs.map((e) => e.subjectType), inputs.map((e) => e.subjectId), inputs.map((e) => JSON.stringify(e.data)),
  ];
}

/**
 * The CTEs `audit` and `audit_queued` (for a statement's WITH list): insert the audit rows given as the six
 * array parameters starting at `$first` (auditParams), in array order, selecting them `FROM` what `from`
 * names (e.g. a CTE that must have produced a row), and queue each for the sequencer (AUDIT_QUEUE_CTE), so
 * a statement can record its change and its events at once.
 */
export function auditInsertCtes(first: number, from = ''): string {
  const p = (i: number) => `$${first + i}`;
  return `audit AS (
    INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data)
    SELECT a.at, a.actor, a.action, a.subject_type, a.subject_id, a.data
    FROM unnest(${p(0)}::timestamptz[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::jsonb[])
      WITH ORDINALITY AS a(at, actor, action, subject_type, subject_id, data, n)${from ? `, ${from}` : ''}
    ORDER BY a.n
    RETURNING seq
  ), ${AUDIT_QUEUE_CTE}`;
}

/**
 * The CTE that queues the rows a CTE named `audit` inserted (RETURNING seq) for the sequencer: every
 * statement that writes audit rows ends its WITH list with it, so no row is written without being queued.
 */
export const AUDIT_QUEUE_CTE = 'audit_queued AS (INSERT INTO audit_unlinked (seq) SELECT seq FROM audit)';

/**
 * Appends one event inside the caller's transaction: a plain INSERT, unlinked (no lock, no read of
 * the chain head); the sequencer links it into the hash chain after it commits (linkAuditEvents).
 */
export async function appendAuditEvent(sql: SqlRunner, input: AuditInput): Promise<AuditRecord> {
  const e = { ...input, at: truncateToMs(input.at) };
  const rows = await sql.query<{ seq: string }>(
    `WITH audit AS (
       INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING seq
     ), ${AUDIT_QUEUE_CTE}
     SELECT seq::text AS seq FROM audit`,
    [e.at, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.data)],
  );
  return { ...e, seq: BigInt(rows[0].seq), chainSeq: null, prevHash: null, hash: null };
}

/** Appends `inputs`, in order, inside the caller's transaction (or as a statement of its own) with one INSERT. */
export async function appendAuditEvents(sql: SqlRunner, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await sql.query(`WITH ${auditInsertCtes(1)} SELECT 1`, auditParams(inputs));
}

/** Advisory lock of the sequencer: one linker at a time across every process (try-locked, never waited for). */
const AUDIT_LINK_LOCK = 727_002;

/** What one linking round did: rows linked, the chain head after it, and whether another process was linking. */
export interface LinkOutcome {
  linked: number;
  head: { chainSeq: bigint; hash: string } | null;
  busy: boolean;
}

interface EventRow {
  seq: string; at: Date; actor: string; action: string; subject_type: string; subject_id: string; data: Record<string, unknown>;
  chain_seq: string | null; prev_hash: string | null; hash: string | null;
}

// text, so no bigint loses digits; every ORDER BY names the table's column, not these text output columns
const EVENT_COLUMNS = 'audit_event.seq::text AS seq, at, actor, action, subject_type, subject_id, data, link.chain_seq::text AS chain_seq, link.prev_hash, link.hash';
/**
 * An event's link (null while unlinked), joined to a page of events for EVENT_COLUMNS. Every join between the
 * log and its links or queue is LATERAL with LIMIT 1, which the planner cannot flatten: one primary-key lookup
 * per row the query keeps. A plain join let the planner hash or merge the whole other table (measured: every
 * event of the log read to find 4,000 queued ones).
 */
const LINK_OF_EVENT = 'LEFT JOIN LATERAL (SELECT l.chain_seq, l.prev_hash, l.hash FROM audit_link l WHERE l.seq = audit_event.seq LIMIT 1) link ON true';

/**
 * The events `page` selects (a `SELECT * FROM audit_event ...` with its own WHERE, ORDER BY, OFFSET and LIMIT),
 * with their links, in `order`: the links are looked up for the page's rows only, not for the rows an OFFSET
 * skips (measured: a page at offset 90,000 of 100,000 events took 237 ms with the lookups before the OFFSET).
 */
function withLinks(page: string, order: string): string {
  return `SELECT ${EVENT_COLUMNS} FROM (${page}) audit_event ${LINK_OF_EVENT} ORDER BY ${order}`;
}

function toAuditRecord(r: EventRow): AuditRecord {
  return {
    seq: BigInt(r.seq), at: r.at, actor: r.actor, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, data: r.data,
    chainSeq: r.chain_seq === null ? null : BigInt(r.chain_seq), prevHash: r.prev_hash, hash: r.hash,
  };
}

/**
 * The sequencer's round: links up to `max` committed, unlinked rows into the hash chain, in insertion
 * order, after the newest linked row, in one transaction. The try-lock makes it a single writer among
 * every process; a process that does not get it returns at once with `busy`. Each link hashes the row
 * as stored (auditHash over the previous hash and its canonical content), so what is linked is exactly
 * what verification will read back.
 */
export function linkAuditEvents(scope: StoreScope, max: number): Promise<LinkOutcome> {
  // raw pg on a connection of its own, not a Prisma transaction: a round moves thousands of rows each
  // way, and passing them through Prisma cost about a quarter of the sequencer's CPU (measured)
  return pgTransaction(scope.pool, async (client) => {
    const sql = pgRunner(client);
    const [got] = await sql.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::int) AS ok', [AUDIT_LINK_LOCK]);
    if (!got.ok) return { linked: 0, head: null, busy: true };
    const [last] = await sql.query<{ chain_seq: string; hash: string }>(
      'SELECT chain_seq::text AS chain_seq, hash FROM audit_link ORDER BY audit_link.chain_seq DESC LIMIT 1', [],
    );
    let chainSeq = BigInt(last?.chain_seq ?? '0');
    let prev = last?.hash ?? AUDIT_GENESIS;
    const pending = await sql.query<EventRow>(
      `SELECT q.seq::text AS seq, e.at, e.actor, e.action, e.subject_type, e.subject_id, e.data, NULL AS chain_seq, NULL AS prev_hash, NULL AS hash
       FROM audit_unlinked q CROSS JOIN LATERAL (SELECT * FROM audit_event WHERE audit_event.seq = q.seq LIMIT 1) e
       ORDER BY q.seq LIMIT $1::int`, [max],
    );
    // the limit counts events, not queue entries: a queued seq whose event is gone (deleted with the
    // trigger bypassed) is passed over instead of filling a round and stalling the sequencer
    if (pending.length === 0) return { linked: 0, head: last ? { chainSeq, hash: prev } : null, busy: false };
    const seqs: string[] = [], chainSeqs: string[] = [], prevs: string[] = [], hashes: string[] = [];
    for (const row of pending) {
      const hash = auditHash(prev, toAuditRecord(row));
      chainSeq += 1n;
      seqs.push(row.seq); chainSeqs.push(chainSeq.toString()); prevs.push(prev); hashes.push(hash);
      prev = hash;
    }
    // each column as one comma-separated text (digits and hex only), split by the server: cheaper to
    // send than four arrays of thousands of strings. The rows leave the queue and get their links in one
    // statement; a row some other round linked already (it cannot: the lock) would fail the unique keys.
    await sql.execute(
      `WITH done AS (DELETE FROM audit_unlinked WHERE seq = ANY (string_to_array($1, ',')::bigint[]))
       INSERT INTO audit_link (seq, chain_seq, prev_hash, hash)
       SELECT * FROM unnest(string_to_array($1, ',')::bigint[], string_to_array($2, ',')::bigint[], string_to_array($3, ','), string_to_array($4, ','))`,
      [seqs.join(','), chainSeqs.join(','), prevs.join(','), hashes.join(',')],
    );
    return { linked: seqs.length, head: { chainSeq, hash: prev }, busy: false };
  });
}

/** Rows not linked yet: how many, and how many were written more than `boundMs` ago (by the database's clock). */
export async function unlinkedAuditEvents(sql: SqlRunner, boundMs: number): Promise<{ count: number; overdue: number; oldestSeq: bigint | null }> {
  const [r] = await sql.query<{ n: number; overdue: number; oldest: string | null }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE recorded_at < now() - make_interval(secs => $1::double precision / 1000))::int AS overdue,
            min(q.seq)::text AS oldest
     FROM audit_unlinked q CROSS JOIN LATERAL (SELECT recorded_at FROM audit_event WHERE audit_event.seq = q.seq LIMIT 1) e`,
    [boundMs],
  );
  return { count: r.n, overdue: r.overdue, oldestSeq: r.oldest === null ? null : BigInt(r.oldest) };
}

/**
 * Events neither linked nor waiting in the sequencer's queue: none, unless someone removed rows from
 * audit_unlinked (the sequencer would then never link them). Reads the whole log: for `audit verify`.
 */
export async function unqueuedAuditEvents(sql: SqlRunner): Promise<{ count: number; oldestSeq: bigint | null }> {
  const [r] = await sql.query<{ n: number; oldest: string | null }>(
    `SELECT count(*)::int AS n, min(e.seq)::text AS oldest FROM audit_event e
     WHERE NOT EXISTS (SELECT 1 FROM audit_link l WHERE l.seq = e.seq) AND NOT EXISTS (SELECT 1 FROM audit_unlinked u WHERE u.seq = e.seq)`,
    [],
  );
  return { count: r.n, oldestSeq: r.oldest === null ? null : BigInt(r.oldest) };
}

/** Reads up to `limit` linked events after chain position `afterChainSeq`, in chain order. */
export async function readAuditChain(sql: SqlRunner, afterChainSeq: bigint, limit: number): Promise<ChainedAuditRecord[]> {
  const rows = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS}
     FROM (SELECT * FROM audit_link WHERE chain_seq > $1::bigint ORDER BY chain_seq LIMIT $2) link
     CROSS JOIN LATERAL (SELECT * FROM audit_event WHERE audit_event.seq = link.seq LIMIT 1) audit_event
     ORDER BY link.chain_seq`, [afterChainSeq.toString(), limit],
  );
  return rows.map((r) => toAuditRecord(r) as ChainedAuditRecord);
}

/** Narrows an audit page: exact subject, actor or subject type; an action or its prefix ending in '.'. */
export interface AuditFilter {
  subjectId?: string;
  subjectType?: string;
  actor?: string;
  action?: string;
}

/** Reads a page of the audit log in insertion order, linked or not (filtered, if asked). */
export async function readAuditPage(sql: SqlRunner, afterSeq: bigint, limit: number, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const where = ['seq > $1'];
  const params: unknown[] = [afterSeq.toString(), limit];
  const add = (cond: string, value: unknown) => {
    params.push(value);
    where.push(cond.replace('?', `$${params.length}`));
  };
  if (filter.subjectId) add('subject_id = ?', filter.subjectId);
  if (filter.subjectType) add('subject_type = ?', filter.subjectType);
  if (filter.actor) add('actor = ?', filter.actor);
  if (filter.action) {
    if (filter.action.endsWith('.')) add("starts_with(action, ?)", filter.action);
    else add('action = ?', filter.action);
  }
  const rows = await sql.query<EventRow>(withLinks(`SELECT * FROM audit_event WHERE ${where.join(' AND ')} ORDER BY audit_event.seq LIMIT $2`, 'audit_event.seq'), params);
  return rows.map(toAuditRecord);
}

/**
 * The audit list's filter (the console's and react-admin's `filter`): exact actor, subject type and subject
 * id; `action` a prefix (an action is a prefix of itself); `from` inclusive and `to` exclusive bounds of `at`;
 * `q` text found (case-insensitively) in the action, actor, subject id or the payload's JSON text.
 */
export interface AuditListFilter {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  q?: string;
}

/** The audit list's order: by insertion (`seq`) or by the event's time (`at`, ties by seq); newest first by default. */
export interface AuditOrder {
  field: 'seq' | 'at';
  direction: 'asc' | 'desc';
}

export const AUDIT_DEFAULT_ORDER: AuditOrder = { field: 'seq', direction: 'desc' };

/** WHERE conditions and parameters of `filter`, numbering parameters after `params`' current ones. */
function auditListWhere(filter: AuditListFilter, params: unknown[]): string[] {
  const c = new SqlConditions(params);
  if (filter.actor) c.add('actor = ?', filter.actor);
  if (filter.subjectType) c.add('subject_type = ?', filter.subjectType);
  if (filter.subjectId) c.add('subject_id = ?', filter.subjectId);
  // LIKE 'prefix%' (not starts_with) so the planner can use audit_event_action_idx (text_pattern_ops)
  if (filter.action) c.add('action LIKE ?', `${likeLiteral(filter.action)}%`);
  if (filter.from) c.add('at >= ?', filter.from.toISOString());
  if (filter.to) c.add('at < ?', filter.to.toISOString());
  if (filter.q) c.add('(action ILIKE ? OR actor ILIKE ? OR subject_id ILIKE ? OR data::text ILIKE ?)', containsPattern(filter.q));
  return c.where;
}

function orderSql(o: AuditOrder): string {
  const dir = o.direction === 'asc' ? 'ASC' : 'DESC';
  return o.field === 'at' ? `audit_event.at ${dir}, audit_event.seq ${dir}` : `audit_event.seq ${dir}`;
}

/**
 * A page of the filtered audit list in `order` (`skip`, `take`) and how many events the filter matches
 * (an exact count; docs/audit.md says what it costs at 100k events).
 */
export async function listAuditEvents(
  sql: SqlRunner, filter: AuditListFilter, skip: number, take: number, order: AuditOrder = AUDIT_DEFAULT_ORDER,
): Promise<{ items: AuditRecord[]; total: number }> {
  const params: unknown[] = [];
  const where = auditListWhere(filter, params);
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const n = params.length;
  const [rows, [count]] = await Promise.all([
    sql.query<EventRow>(withLinks(`SELECT * FROM audit_event ${cond} ORDER BY ${orderSql(order)} OFFSET $${n + 1}::int LIMIT $${n + 2}::int`, orderSql(order)), [...params, skip, take]),
    sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_event ${cond}`, params),
  ]);
  return { items: rows.map(toAuditRecord), total: Number(count.n) };
}

/**
 * The filtered audit list in `order`, read in keyset batches of `batch` (each an indexed range query after the
 * last row of the one before, never an OFFSET), so an export of any size holds one batch at a time.
 */
export async function* auditEventBatches(
  sql: SqlRunner, filter: AuditListFilter, order: AuditOrder = AUDIT_DEFAULT_ORDER, batch = 1000,
): AsyncGenerator<AuditRecord[]> {
  const cmp = order.direction === 'asc' ? '>' : '<';
  let last: AuditRecord | undefined;
  for (;;) {
    const params: unknown[] = [];
    const where = auditListWhere(filter, params);
    if (last) {
      if (order.field === 'at') {
        params.push(last.at.toISOString(), last.seq.toString());
        where.push(`(at, seq) ${cmp} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
      } else {
        params.push(last.seq.toString());
        where.push(`seq ${cmp} $${params.length}::bigint`);
      }
    }
    params.push(batch);
    const rows = await sql.query<EventRow>(
      withLinks(`SELECT * FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderSql(order)} LIMIT $${params.length}::int`, orderSql(order)), params,
    );
    if (rows.length === 0) return;
    const records = rows.map(toAuditRecord);
    yield records;
    if (rows.length < batch) return;
    last = records.at(-1);
  }
}

/** How many events `filter` matches (what an export would write). */
export async function countAuditEvents(sql: SqlRunner, filter: AuditListFilter): Promise<number> {
  const params: unknown[] = [];
  const where = auditListWhere(filter, params);
  const [r] = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
  return Number(r.n);
}

/** The audit log: plain appends in the caller's transaction, the sequencer's linking, and reads. */
export class AuditLog {
  constructor(private readonly s: StoreScope, readonly checkpoints: AuditCheckpointStore) {}

  /** Appends an audit event, unlinked (inside the current transaction, if any); the sequencer links it (link). */
  append(e: AuditInput): Promise<AuditRecord> {
    return appendAuditEvent(this.s.sql, e);
  }

  /** Appends audit events, in order, with one INSERT (inside the current transaction, if any). */
  async appendMany(events: AuditInput[]): Promise<void> {
    await appendAuditEvents(this.s.sql, events);
  }

  /** Reads up to `limit` audit events after `afterSeq`, in insertion order, linked or not. */
  read(afterSeq: bigint, limit: number, filter: AuditFilter = {}): Promise<AuditRecord[]> {
    return readAuditPage(this.s.sql, afterSeq, limit, filter);
  }

  /** A page of the filtered audit list in `order` (newest first by default) and the filter's total. */
  list(filter: AuditListFilter, skip: number, take: number, order: AuditOrder = AUDIT_DEFAULT_ORDER): Promise<{ items: AuditRecord[]; total: number }> {
    return listAuditEvents(this.s.sql, filter, skip, take, order);
  }

  /** How many events `filter` matches. */
  count(filter: AuditListFilter): Promise<number> {
    return countAuditEvents(this.s.sql, filter);
  }

  /** The filtered list in `order`, in keyset batches (for exports). */
  batches(filter: AuditListFilter, order: AuditOrder = AUDIT_DEFAULT_ORDER, batch = 1000): AsyncGenerator<AuditRecord[]> {
    return auditEventBatches(this.s.sql, filter, order, batch);
  }

  /** Reads up to `limit` linked audit events after chain position `afterChainSeq`, in chain order. */
  readChain(afterChainSeq: bigint, limit: number): Promise<ChainedAuditRecord[]> {
    return readAuditChain(this.s.sql, afterChainSeq, limit);
  }

  /** One round of the audit sequencer: links up to `max` committed rows into the chain (linkAuditEvents); a transaction of its own. */
  link(max = 5000): Promise<LinkOutcome> {
    if (this.s.inTransaction) throw new Error('the audit sequencer links committed rows: call it outside a transaction');
    return linkAuditEvents(this.s, max);
  }

  /** Audit rows not linked yet, and how many of them were written more than `boundMs` ago. */
  unlinked(boundMs: number): Promise<{ count: number; overdue: number; oldestSeq: bigint | null }> {
    return unlinkedAuditEvents(this.s.sql, boundMs);
  }

  /** Audit rows neither linked nor queued for the sequencer (unqueuedAuditEvents; reads the whole log). */
  unqueued(): Promise<{ count: number; oldestSeq: bigint | null }> {
    return unqueuedAuditEvents(this.s.sql);
  }
}
