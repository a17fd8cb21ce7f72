import { escapeLiteral } from 'pg';
import { AUDIT_GENESIS, auditBody, auditHash, auditHashOfBody } from './audit-hash';
import type { AuditInput, AuditRecord } from './records';

/** Anything that runs parameterized SQL: a pg client or a Prisma transaction adapter. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params: unknown[]): Promise<R[]>;
}

const AUDIT_CHAIN_LOCK = 727_002; // serializes appends so the chain has one order

/** Milliseconds precision, as stored (timestamptz(3)), so the hash verifies after a round trip. */
function truncateToMs(d: Date): Date {
  return new Date(Math.floor(d.getTime()));
}

/**
 * Appends one event to the hash chain inside the caller's transaction. The advisory lock is held
 * until that transaction ends, so events commit in chain order.
 */
export async function appendAuditEvent(sql: SqlRunner, input: AuditInput): Promise<AuditRecord> {
  const e = { ...input, at: truncateToMs(input.at) };
  await sql.query('SELECT pg_advisory_xact_lock($1::bigint)::text AS locked', [AUDIT_CHAIN_LOCK]);
  const last = await sql.query<{ hash: string }>('SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1', []);
  const prevHash = last[0]?.hash ?? AUDIT_GENESIS;
  const hash = auditHash(prevHash, e);
  const rows = await sql.query<{ seq: string }>(
    'INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) RETURNING seq',
    [e.at, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.data), prevHash, hash],
  );
  return { ...e, seq: BigInt(rows[0].seq), prevHash, hash };
}

/** An audit event made ready for an INSERT before the chain head is known: only the links are missing. */
export interface PreparedAuditRow {
  /** What the event's hash covers (auditBody). */
  body: string;
  /** `(at, actor, action, subject_type, subject_id, data` as escaped literals, without the links. */
  values: string;
}

/** Serializes `input` (times to milliseconds, as stored) for lockedAuditInsertSqlFromHead. */
export function prepareAuditRow(input: AuditInput): PreparedAuditRow {
  const e = { ...input, at: truncateToMs(input.at) };
  const text = [e.actor, e.action, e.subjectType, e.subjectId].map(escapeLiteral).join(', ');
  return { body: auditBody(e), values: `(${escapeLiteral(e.at.toISOString())}::timestamptz, ${text}, ${escapeLiteral(JSON.stringify(e.data))}::jsonb` };
}

/**
 * One INSERT of `rows`, linked in order after the chain head `headHash`, with every value as an
 * escaped literal, so the caller can send it in the same round trip as its COMMIT. The caller's
 * transaction must hold the chain lock (lockAuditChainSql) and have read `headHash` after taking it.
 */
export function lockedAuditInsertSqlFromHead(headHash: string, rows: PreparedAuditRow[]): string {
  if (rows.length === 0) throw new Error('no audit events to append');
  let prevHash = headHash;
  const values: string[] = [];
  for (const row of rows) {
    const hash = auditHashOfBody(prevHash, row.body);
    values.push(`${row.values}, '${prevHash}', '${hash}')`); // hex digests: nothing to escape
    prevHash = hash;
  }
  return `INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data, prev_hash, hash) VALUES ${values.join(', ')}`;
}

/** SQL expression that takes the chain lock until the end of the transaction (evaluates to ''). */
export const lockAuditChainSql = `pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})::text`;

/** Appends `inputs`, in order, inside the caller's transaction with one INSERT (the chain lock is held until it ends). */
export async function appendAuditEvents(sql: SqlRunner, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await sql.query(`SELECT ${lockAuditChainSql} AS locked`, []);
  const head = await sql.query<{ hash: string }>('SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1', []);
  await sql.query(lockedAuditInsertSqlFromHead(head[0]?.hash ?? AUDIT_GENESIS, inputs.map(prepareAuditRow)), []);
}

/** Narrows an audit page: exact subject, actor or subject type; an action or its prefix ending in '.'. */
export interface AuditFilter {
  subjectId?: string;
  subjectType?: string;
  actor?: string;
  action?: string;
}

/** Reads a page of the audit log in chain order (filtered, if asked). */
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
  const rows = await sql.query<{
    seq: string; at: Date; actor: string; action: string; subject_type: string; subject_id: string;
    data: Record<string, unknown>; prev_hash: string; hash: string;
  }>(`SELECT seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash FROM audit_event WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $2`, params);
  return rows.map((r) => ({
    seq: BigInt(r.seq), at: r.at, actor: r.actor, action: r.action, subjectType: r.subject_type,
    subjectId: r.subject_id, data: r.data, prevHash: r.prev_hash, hash: r.hash,
  }));
}
