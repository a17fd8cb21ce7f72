// The issuance hot path in raw SQL: a Prisma interactive transaction costs several times the round
// trips. The intent and the completion are each ONE statement (a data-modifying CTE that writes the
// certificate and its audit rows, atomic on its own), so each costs one round trip and one commit.
// They take no lock beyond the rows they write: the audit rows are linked into the chain later by the
// sequencer (audit-store.ts).
import type { CaStatus, ExchangePurpose, KeyType } from '@anchorage/contracts';
import { auditInsertCtes, auditParams } from './audit-store';
import type { SqlRunner } from './pg-transaction';
import { DbConflictError, isUniqueViolation } from './errors';
import type { AuditInput, CaRecord, CertificateRecord, IssuanceContextRecord, OrganizationRecord } from './records';

/** What recordIssuanceIntent stores: a pending certificate before anything is signed. */
export type IssuanceIntentInput = Omit<CertificateRecord, 'createdAt' | 'issuedAt' | 'der' | 'status' | 'revokedAt' | 'revocationReason' | 'invalidityDate' | 'revocationPublished' | 'expiredAt'>;


const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
export const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The intent: inserts the pending certificate only if the issuer is still an active issuing CA, the
 * organization is active and every distinct SAN ($16) is bound to the organization in the community
 * ($15), and its audit events ($17..$22) only if it was inserted.
 */
const INTENT_SQL = `
  WITH issuer AS (
    SELECT EXISTS (SELECT 1 FROM certificate_authority WHERE id = $2 AND status = 'active' AND role = 'issuing') AS active
  ), org AS (
    SELECT EXISTS (SELECT 1 FROM organization WHERE id = $3 AND status = 'active') AS active
  ), bound AS (
    SELECT count(*)::int AS n FROM san_binding WHERE community_id = $15 AND organization_id = $3 AND uri = ANY($16::text[])
  ), ins AS (
    INSERT INTO certificate (id, issuer_id, organization_id, serial, profile, status, subject, san_uris, key_type, not_before, not_after, tbs_der, request_key, request_fingerprint, requested_by)
    SELECT $1, $2, $3, $4, $5, 'pending', $6, $7::text[], $8, $9, $10, $11, $12, $13, $14
    FROM bound, issuer, org
    WHERE bound.n = cardinality($16::text[]) AND issuer.active AND org.active
    RETURNING created_at
  ), ${auditInsertCtes(17, 'ins')}
  SELECT ins.created_at, (SELECT active FROM issuer) AS issuer_active, (SELECT active FROM org) AS org_active
  FROM (SELECT 1) AS one LEFT JOIN ins ON true`;

/**
 * Inserts the pending certificate and appends `events`, in one statement: only if every SAN is still
 * bound to the organization in its community, the organization is active and the issuer is still an
 * active issuing CA; otherwise a DbConflictError 'san_binding', 'organization_inactive' or
 * 'issuer_inactive' and nothing is written.
 */
export async function recordIntentWithAudit(sql: SqlRunner, c: IssuanceIntentInput, communityId: string, events: AuditInput[]): Promise<CertificateRecord> {
  const values = [
    c.id, c.issuerId, c.organizationId, buf(c.serial), c.profile, c.subject, c.sanUris, c.keyType, c.notBefore, c.notAfter, buf(c.tbsDer),
    c.requestKey, c.requestFingerprint, c.requestedBy, communityId, [...new Set(c.sanUris)], ...auditParams(events),
  ];
  let rows: IntentRow[];
  try {
    rows = await sql.query(INTENT_SQL, values, 'anchorage_intent');
  } catch (err) {
    throw intentConflict(err, c);
  }
  return intentOutcome(c, rows[0]);
}

/** What the intent statements say of one certificate: when it was inserted (null: refused), and why not. */
export type IntentRow = { created_at: Date | null; issuer_active: boolean; org_active: boolean };

/** A unique violation of an intent as the DbConflictError callers expect; any other error as it is. */
export function intentConflict(err: unknown, c: IssuanceIntentInput): unknown {
  return isUniqueViolation(err) ? new DbConflictError('certificate_unique', 'serial or request id already used', { requestKey: c.requestKey }) : err;
}

/** The pending certificate an intent statement recorded, or the DbConflictError that says why it did not. */
export function intentOutcome(c: IssuanceIntentInput, row: IntentRow): CertificateRecord {
  if (!row.created_at) {
    if (!row.issuer_active) throw new DbConflictError('issuer_inactive', `CA ${c.issuerId} is no longer an active issuing CA`, { issuerId: c.issuerId });
    if (!row.org_active) throw new DbConflictError('organization_inactive', `organization ${c.organizationId} is not active`, { organizationId: c.organizationId });
    throw new DbConflictError('san_binding', 'a SAN URI of the request is not bound to the organization', { organizationId: c.organizationId, sanUris: c.sanUris });
  }
  return {
    ...c, status: 'pending', der: null, revokedAt: null, revocationReason: null, invalidityDate: null, revocationPublished: true, createdAt: row.created_at, issuedAt: null, expiredAt: null,
  };
}

/** The completion: stores the signed certificate of a pending one, and its audit events ($4..$9) only if it was pending. */
const COMPLETE_SQL = `
  WITH upd AS (
    UPDATE certificate SET der = $2, tbs_der = NULL, status = 'issued', issued_at = $3 WHERE id = $1 AND status = 'pending' RETURNING id
  ), ${auditInsertCtes(4, 'upd')}
  SELECT count(*)::int AS n FROM upd`;

/**
 * Stores the signed certificate of the pending issuance `pending` and appends `events`, in one
 * statement. A certificate that is no longer pending is an error and nothing is written.
 */
export async function completeWithAudit(sql: SqlRunner, pending: CertificateRecord, der: Uint8Array, issuedAt: Date, events: AuditInput[]): Promise<CertificateRecord> {
  const rows = await sql.query<{ n: number }>(COMPLETE_SQL, [pending.id, buf(der), issuedAt, ...auditParams(events)], 'anchorage_complete');
  return completionOutcome(pending, der, issuedAt, rows[0].n > 0);
}

/** The issued certificate a completion statement stored, or the error that says it was not pending. */
export function completionOutcome(pending: CertificateRecord, der: Uint8Array, issuedAt: Date, stored: boolean): CertificateRecord {
  if (!stored) throw new Error(`certificate ${pending.id} is not pending`);
  return { ...pending, der, status: 'issued', issuedAt };
}

/** A row of the issuance-context query: the organization (o_), community (c_) and issuing CA (ca_, all null when none). */
type ContextRow = {
  o_id: string; o_community_id: string; o_name: string; o_created_at: Date; o_status: OrganizationRecord['status']; o_status_reason: string | null; o_san_uris: string[];
  c_id: string; c_uri: string; c_name: string; c_allowed_leaf_key_types: string[]; c_max_leaf_validity_days: number; c_crl_lifetime_seconds: number;
  c_allow_generated_keys: boolean; c_require_endpoint_control: boolean; c_auto_approve_verified: boolean; c_require_rsa_chain: boolean; c_exchange_purposes: ExchangePurpose[]; c_created_at: Date;
  ca_id: string | null; ca_community_id: string; ca_role: string; ca_status: string; ca_parent_id: string | null; ca_subject_der: Buffer; ca_subject: string;
  ca_key_type: string; ca_key_ref: string; ca_spki_der: Buffer; ca_certificate_der: Buffer | null; ca_csr_der: Buffer | null; ca_not_before: Date | null;
  ca_not_after: Date | null; ca_last_crl_number: string; ca_created_at: Date;
};

/** The organization (with SAN URIs), its community and active issuing CA, in one query. */
export async function findIssuanceContext(sql: SqlRunner, organizationId: string): Promise<IssuanceContextRecord | null> {
  // a named statement: PostgreSQL plans it once per connection instead of on every issuance (the plan
  // cost several times the execution, ~0.3 ms of server CPU per call)
  const rows = await sql.query<ContextRow>(`SELECT o.id AS o_id, o.community_id AS o_community_id, o.name AS o_name, o.created_at AS o_created_at, o.status AS o_status, o.status_reason AS o_status_reason,
            ARRAY(SELECT b.uri FROM san_binding b WHERE b.organization_id = o.id ORDER BY b.created_at) AS o_san_uris,
            c.id AS c_id, c.uri AS c_uri, c.name AS c_name, c.allowed_leaf_key_types AS c_allowed_leaf_key_types,
            c.max_leaf_validity_days AS c_max_leaf_validity_days, c.crl_lifetime_seconds AS c_crl_lifetime_seconds,
            c.allow_generated_keys AS c_allow_generated_keys, c.require_endpoint_control AS c_require_endpoint_control,
            c.auto_approve_verified AS c_auto_approve_verified, c.require_rsa_chain AS c_require_rsa_chain, c.exchange_purposes AS c_exchange_purposes, c.created_at AS c_created_at,
            ca.id AS ca_id, ca.community_id AS ca_community_id, ca.role AS ca_role, ca.status AS ca_status, ca.parent_id AS ca_parent_id,
            ca.subject_der AS ca_subject_der, ca.subject AS ca_subject, ca.key_type AS ca_key_type, ca.key_ref AS ca_key_ref,
            ca.spki_der AS ca_spki_der, ca.certificate_der AS ca_certificate_der, ca.csr_der AS ca_csr_der, ca.not_before AS ca_not_before,
            ca.not_after AS ca_not_after, ca.last_crl_number::text AS ca_last_crl_number, ca.created_at AS ca_created_at
     FROM organization o
     JOIN community c ON c.id = o.community_id
     LEFT JOIN LATERAL (
       SELECT * FROM certificate_authority x WHERE x.community_id = c.id AND x.role = 'issuing' AND x.status = 'active' ORDER BY x.created_at LIMIT 1
     ) ca ON true
     WHERE o.id = $1::uuid`, [organizationId], 'anchorage_issuance_context');
  const r = rows[0];
  if (!r) return null;
  return {
    org: {
      id: r.o_id, communityId: r.o_community_id, name: r.o_name, createdAt: r.o_created_at, sanUris: r.o_san_uris, status: r.o_status, statusReason: r.o_status_reason,
    },
    community: {
      id: r.c_id, uri: r.c_uri, name: r.c_name, allowedLeafKeyTypes: r.c_allowed_leaf_key_types as KeyType[],
      maxLeafValidityDays: r.c_max_leaf_validity_days, crlLifetimeSeconds: r.c_crl_lifetime_seconds,
      allowGeneratedKeys: r.c_allow_generated_keys, requireEndpointControl: r.c_require_endpoint_control, autoApproveVerified: r.c_auto_approve_verified,
      requireRsaChain: r.c_require_rsa_chain, exchangePurposes: r.c_exchange_purposes, createdAt: r.c_created_at,
    },
    issuer: r.ca_id === null ? null : {
      id: r.ca_id, communityId: r.ca_community_id, role: r.ca_role as CaRecord['role'], status: r.ca_status as CaStatus,
      parentId: r.ca_parent_id, subjectDer: bytes(r.ca_subject_der), subject: r.ca_subject, keyType: r.ca_key_type as KeyType,
      keyRef: r.ca_key_ref, spkiDer: bytes(r.ca_spki_der), certificateDer: r.ca_certificate_der ? bytes(r.ca_certificate_der) : null,
      csrDer: r.ca_csr_der ? bytes(r.ca_csr_der) : null, notBefore: r.ca_not_before, notAfter: r.ca_not_after,
      lastCrlNumber: BigInt(r.ca_last_crl_number), createdAt: r.ca_created_at, revokedAt: null, revocationReason: null, // an active CA is never revoked
    },
  };
}
