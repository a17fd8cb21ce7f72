// The audit log's storage. Business transactions INSERT plain rows (no lock, no chain head read); one
// sequencer at a time (linkAuditEvents, run by the worker) links committed rows into the hash chain,
// within a bounded delay (migration 20261204000000_audit_sequencer, docs/audit.md).
import { AUDIT_GENESIS, auditHash } from './audit-hash';
import type { AuditCheckpointStore } from './audit-checkpoint-store';
import type { SqlRunner } from './pg-transaction';
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
 * SQL that inserts the audit rows given as the six array parameters starting at `$first` (auditParams),
 * in array order, selecting them `FROM` what `from` names (e.g. a CTE that must have produced a row), so a
 * statement can record its change and its events at once.
 */
export function auditInsertSql(first: number, from = ''): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data)
    SELECT a.at, a.actor, a.action, a.subject_type, a.subject_id, a.data
    FROM unnest(${p(0)}::timestamptz[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::jsonb[])
      WITH ORDINALITY AS a(at, actor, action, subject_type, subject_id, data, n)${from ? `, ${from}` : ''}
    ORDER BY a.n`;
}

/**
 * Appends one event inside the caller's transaction: a plain INSERT, unlinked (no lock, no read of
 * the chain head); the sequencer links it into the hash chain after it commits (linkAuditEvents).
 */
export async function appendAuditEvent(sql: SqlRunner, input: AuditInput): Promise<AuditRecord> {
  const e = { ...input, at: truncateToMs(input.at) };
  const rows = await sql.query<{ seq: string }>(
    'INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING seq::text AS seq',
    [e.at, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.data)],
  );
  return { ...e, seq: BigInt(rows[0].seq), chainSeq: null, prevHash: null, hash: null };
}

/** Appends `inputs`, in order, inside the caller's transaction (or as a statement of its own) with one INSERT. */
export async function appendAuditEvents(sql: SqlRunner, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await sql.query(auditInsertSql(1), auditParams(inputs));
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
const EVENT_COLUMNS = 'seq::text AS seq, at, actor, action, subject_type, subject_id, data, chain_seq::text AS chain_seq, prev_hash, hash';

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
  return scope.transaction(async ({ sql }) => {
    const [got] = await sql.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::int) AS ok', [AUDIT_LINK_LOCK]);
    if (!got.ok) return { linked: 0, head: null, busy: true };
    const [last] = await sql.query<{ chain_seq: string; hash: string }>(
      'SELECT chain_seq::text AS chain_seq, hash FROM audit_event WHERE chain_seq IS NOT NULL ORDER BY audit_event.chain_seq DESC LIMIT 1', [],
    );
    let chainSeq = BigInt(last?.chain_seq ?? '0');
    let prev = last?.hash ?? AUDIT_GENESIS;
    const pending = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM audit_event WHERE chain_seq IS NULL ORDER BY audit_event.seq LIMIT $1::int`, [max]);
    if (pending.length === 0) return { linked: 0, head: last ? { chainSeq, hash: prev } : null, busy: false };
    const seqs: string[] = [], chainSeqs: string[] = [], prevs: string[] = [], hashes: string[] = [];
    for (const row of pending) {
      const hash = auditHash(prev, toAuditRecord(row));
      chainSeq += 1n;
      seqs.push(row.seq); chainSeqs.push(chainSeq.toString()); prevs.push(prev); hashes.push(hash);
      prev = hash;
    }
    await sql.execute(
      `UPDATE audit_event e SET chain_seq = v.chain_seq, prev_hash = v.prev_hash, hash = v.hash
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(seq, chain_seq, prev_hash, hash)
       WHERE e.seq = v.seq AND e.chain_seq IS NULL`,
      [seqs, chainSeqs, prevs, hashes],
    );
    return { linked: seqs.length, head: { chainSeq, hash: prev }, busy: false };
  });
}

/** Rows not linked yet: how many, and how many were written more than `boundMs` ago (by the database's clock). */
export async function unlinkedAuditEvents(sql: SqlRunner, boundMs: number): Promise<{ count: number; overdue: number; oldestSeq: bigint | null }> {
  const [r] = await sql.query<{ n: number; overdue: number; oldest: string | null }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE recorded_at < now() - make_interval(secs => $1::double precision / 1000))::int AS overdue,
            min(seq)::text AS oldest
     FROM audit_event WHERE chain_seq IS NULL`,
    [boundMs],
  );
  return { count: r.n, overdue: r.overdue, oldestSeq: r.oldest === null ? null : BigInt(r.oldest) };
}

/** Reads up to `limit` linked events after chain position `afterChainSeq`, in chain order. */
export async function readAuditChain(sql: SqlRunner, afterChainSeq: bigint, limit: number): Promise<ChainedAuditRecord[]> {
  const rows = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM audit_event WHERE chain_seq > $1::bigint ORDER BY audit_event.chain_seq LIMIT $2`, [afterChainSeq.toString(), limit],
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
  const rows = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM audit_event WHERE ${where.join(' AND ')} ORDER BY audit_event.seq LIMIT $2`, params);
  return rows.map(toAuditRecord);
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
}
