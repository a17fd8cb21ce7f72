// The issuance hot path's two writes for many certificates at once (group-commit.ts groups them):
// each statement does for every item what the single-item statements of issuance-store.ts do for
// one (the same checks, the same rows, the same audit events in the same order) and reports an
// outcome per item, which the same functions turn into the same result or DbConflictError.
import { AUDIT_QUEUE_CTE, auditParams } from './audit-store';
import type { ItemOutcome } from './group-commit';
import { buf, completionOutcome, intentOutcome, type IntentRow, type IssuanceIntentInput } from './issuance-store';
import type { SqlRunner } from './pg-transaction';
import type { AuditInput, CertificateRecord } from './records';

/** One intent: the pending certificate, its community (for the SAN check) and its audit events. */
export interface IntentItem {
  c: IssuanceIntentInput;
  communityId: string;
  events: AuditInput[];
}

/** One completion: the pending certificate, its signed DER and its audit events. */
export interface CompletionItem {
  pending: CertificateRecord;
  der: Uint8Array;
  issuedAt: Date;
  events: AuditInput[];
}

/**
 * The audit rows of many items: $first is each row's item number (1-based), then the six columns of
 * auditParams. Rows are inserted in array order, and only for items whose row `done` (a CTE with `n`)
 * reports written; the statement queues them for the sequencer with AUDIT_QUEUE_CTE.
 */
function auditOfItemsSql(first: number, done: string): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data)
    SELECT a.at, a.actor, a.action, a.subject_type, a.subject_id, a.data
    FROM unnest(${p(0)}::int[], ${p(1)}::timestamptz[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::jsonb[])
      WITH ORDINALITY AS a(item, at, actor, action, subject_type, subject_id, data, k)
    JOIN ${done} d ON d.n = a.item
    ORDER BY a.k
    RETURNING seq`;
}

function auditOfItemsParams(perItem: AuditInput[][]): unknown[] {
  return [perItem.flatMap((events, k) => events.map(() => k + 1)), ...auditParams(perItem.flat())];
}

/**
 * The intents of many certificates: each is inserted only if its issuer is an active issuing CA, its
 * organization is active and each of its distinct SAN URIs is bound to the organization in its
 * community, as INTENT_SQL checks for one; its audit events only if it was inserted.
 */
const INTENTS_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bytea[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[],
                         $10::bytea[], $11::text[], $12::text[], $13::text[], $14::uuid[])
      WITH ORDINALITY AS i(id, issuer_id, organization_id, serial, profile, subject, key_type, not_before, not_after, tbs_der,
                           request_key, request_fingerprint, requested_by, community_id, n)
  ), sans AS (
    SELECT s.item, s.uri, s.k FROM unnest($15::int[], $16::text[]) WITH ORDINALITY AS s(item, uri, k)
  ), checked AS (
    SELECT i.*,
      EXISTS (SELECT 1 FROM certificate_authority x WHERE x.id = i.issuer_id AND x.status = 'active' AND x.role = 'issuing') AS issuer_active,
      EXISTS (SELECT 1 FROM organization o WHERE o.id = i.organization_id AND o.status = 'active') AS org_active,
      (SELECT count(DISTINCT s.uri) FROM sans s WHERE s.item = i.n) AS wanted,
      (SELECT count(*) FROM san_binding b
        WHERE b.community_id = i.community_id AND b.organization_id = i.organization_id AND b.uri IN (SELECT s.uri FROM sans s WHERE s.item = i.n)) AS bound
    FROM input i
  ), ins AS (
    INSERT INTO certificate (id, issuer_id, organization_id, serial, profile, status, subject, san_uris, key_type, not_before, not_after, tbs_der, request_key, request_fingerprint, requested_by)
    SELECT c.id, c.issuer_id, c.organization_id, c.serial, c.profile, 'pending', c.subject, ARRAY(SELECT s.uri FROM sans s WHERE s.item = c.n ORDER BY s.k),
           c.key_type, c.not_before, c.not_after, c.tbs_der, c.request_key, c.request_fingerprint, c.requested_by
    FROM checked c
    WHERE c.issuer_active AND c.org_active AND c.bound = c.wanted
    ORDER BY c.n
    RETURNING id, created_at
  ), done AS (
    SELECT c.n, ins.created_at FROM checked c JOIN ins ON ins.id = c.id
  ), audit AS (
    ${auditOfItemsSql(17, 'done')}
  ), ${AUDIT_QUEUE_CTE}
  SELECT c.n, d.created_at, c.issuer_active, c.org_active FROM checked c LEFT JOIN done d ON d.n = c.n ORDER BY c.n`;

/** Records the intents of `items` in one statement; the outcome of each is what recordIntentWithAudit gives for it alone. */
export async function recordIntentsWithAudit(sql: SqlRunner, items: IntentItem[]): Promise<ItemOutcome<CertificateRecord>[]> {
  const col = <T>(f: (it: IntentItem) => T): T[] => items.map(f);
  const values = [
    col((it) => it.c.id), col((it) => it.c.issuerId), col((it) => it.c.organizationId), col((it) => buf(it.c.serial)), col((it) => it.c.profile),
    col((it) => it.c.subject), col((it) => it.c.keyType), col((it) => it.c.notBefore), col((it) => it.c.notAfter), col((it) => buf(it.c.tbsDer)),
    col((it) => it.c.requestKey), col((it) => it.c.requestFingerprint), col((it) => it.c.requestedBy), col((it) => it.communityId),
    items.flatMap((it, k) => it.c.sanUris.map(() => k + 1)), items.flatMap((it) => it.c.sanUris),
    ...auditOfItemsParams(items.map((it) => it.events)),
  ];
  const rows = await sql.query<IntentRow & { n: string }>(INTENTS_SQL, values, 'anchorage_intents');
  return items.map((it, k) => {
    try {
      return { ok: intentOutcome(it.c, rows[k]) };
    } catch (error) {
      return { error: error as Error };
    }
  });
}

/**
 * The completions of many certificates: each stored only if still pending, its audit events only then.
 * Two completions of one certificate in a statement (a retry racing the first attempt): the first is
 * stored, the second is told it was not pending, as it would be after the first.
 */
const COMPLETIONS_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::timestamptz[]) WITH ORDINALITY AS u(id, der, issued_at, n)
  ), upd AS (
    UPDATE certificate c SET der = u.der, tbs_der = NULL, status = 'issued', issued_at = u.issued_at
    FROM (SELECT DISTINCT ON (id) * FROM input ORDER BY id, n) u
    WHERE c.id = u.id AND c.status = 'pending'
    RETURNING u.n
  ), done AS (
    SELECT n FROM upd
  ), audit AS (
    ${auditOfItemsSql(4, 'done')}
  ), ${AUDIT_QUEUE_CTE}
  SELECT u.n, (d.n IS NOT NULL) AS stored FROM input u LEFT JOIN done d ON d.n = u.n ORDER BY u.n`;

/** Stores the completions of `items` in one statement; the outcome of each is what completeWithAudit gives for it alone. */
export async function completeManyWithAudit(sql: SqlRunner, items: CompletionItem[]): Promise<ItemOutcome<CertificateRecord>[]> {
  const rows = await sql.query<{ stored: boolean }>(COMPLETIONS_SQL, [
    items.map((it) => it.pending.id), items.map((it) => buf(it.der)), items.map((it) => it.issuedAt),
    ...auditOfItemsParams(items.map((it) => it.events)),
  ], 'anchorage_completions');
  return items.map((it, k) => {
    try {
      return { ok: completionOutcome(it.pending, it.der, it.issuedAt, rows[k].stored) };
    } catch (error) {
      return { error: error as Error };
    }
  });
}
