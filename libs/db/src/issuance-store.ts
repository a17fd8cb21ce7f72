// The issuance hot path in raw SQL on one pg client per transaction: a Prisma interactive
// transaction costs several times the round trips, and every audit append serializes on the chain
// lock, so these transactions are kept short and take that lock last (just before the audit rows).
import { escapeLiteral, type Pool, type QueryResult } from 'pg';
import { onTransactionClient, pgRunner } from './pg-transaction';
import type { CaStatus, CertificateStatus, KeyType, LeafProfile } from '@anchorage/contracts';
import { lockAuditChainSql, lockedAuditInsertSql } from './audit-store';
import { DbConflictError, isUniqueViolation } from './errors';
import type { AuditInput, CaRecord, CertificateRecord, CommunityRecord, OrganizationRecord } from './records';

/** What recordIssuanceIntent stores: a pending certificate before anything is signed. */
export type IssuanceIntentInput = Omit<CertificateRecord, 'createdAt' | 'issuedAt' | 'der' | 'status' | 'revokedAt' | 'revocationReason' | 'invalidityDate'>;

/** Organization with its SAN URIs, its community and the community's active issuing CA (or null). */
export interface IssuanceContextRecord {
  org: OrganizationRecord;
  community: CommunityRecord;
  issuer: CaRecord | null;
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * One transaction in three round trips: `BEGIN; <first>` (which must take the chain lock, after its
 * own writes), the chain head read, then the audit INSERT and COMMIT together. `check` sees the
 * first statement's rows and may throw to roll everything back. Values travel as escaped literals
 * because the simple-query protocol that allows several statements per round trip has no parameters.
 */
async function chainTransaction<T>(pool: Pool, first: string, check: (rows: Record<string, unknown>[]) => T, events: AuditInput[]): Promise<T> {
  return onTransactionClient(pool, async (c) => {
    const results = (await c.query(`BEGIN; ${first}`)) as unknown as QueryResult[];
    const out = check(results[1].rows);
    await c.query(`${await lockedAuditInsertSql(pgRunner(c), events)}; COMMIT`);
    return out;
  });
}

const lit = (v: string | null): string => (v === null ? 'NULL' : escapeLiteral(v));
const litTime = (d: Date): string => `${escapeLiteral(d.toISOString())}::timestamptz`;
const litBytes = (b: Uint8Array): string => `decode('${buf(b).toString('hex')}', 'hex')`;
const litTexts = (a: string[]): string => (a.length ? `ARRAY[${a.map(escapeLiteral).join(', ')}]::text[]` : `'{}'::text[]`);

/** Appends audit events in a transaction of their own. */
export async function appendAuditEventsTx(pool: Pool, events: AuditInput[]): Promise<void> {
  await chainTransaction(pool, `SELECT ${lockAuditChainSql} AS locked`, () => undefined, events);
}

/**
 * One transaction: insert the pending certificate (only if every SAN is still bound to the
 * organization in its community and the issuer is still an active issuing CA; otherwise a
 * DbConflictError 'san_binding' or 'issuer_inactive'), then take the chain lock and append
 * `events`. Three round trips; the chain lock is held from the end of the first to COMMIT.
 */
export async function recordIntentWithAudit(pool: Pool, c: IssuanceIntentInput, communityId: string, events: AuditInput[]): Promise<CertificateRecord> {
  const sans = [...new Set(c.sanUris)];
  const sql = `WITH issuer AS (
      SELECT EXISTS (SELECT 1 FROM certificate_authority WHERE id = ${lit(c.issuerId)}::uuid AND status = 'active' AND role = 'issuing') AS active
    ), bound AS (
      SELECT count(*)::int AS n FROM san_binding
      WHERE community_id = ${lit(communityId)}::uuid AND organization_id = ${lit(c.organizationId)}::uuid AND uri = ANY(${litTexts(sans)})
    ), ins AS (
      INSERT INTO certificate (id, issuer_id, organization_id, serial, profile, status, subject, san_uris, key_type, not_before, not_after, tbs_der, request_key, request_fingerprint, requested_by)
      SELECT ${lit(c.id)}::uuid, ${lit(c.issuerId)}::uuid, ${lit(c.organizationId)}::uuid, ${litBytes(c.serial)}, ${lit(c.profile)}, 'pending', ${lit(c.subject)},
        ${litTexts(c.sanUris)}, ${lit(c.keyType)}, ${litTime(c.notBefore)}, ${litTime(c.notAfter)}, ${litBytes(c.tbsDer)}, ${lit(c.requestKey)},
        ${lit(c.requestFingerprint)}, ${lit(c.requestedBy)}
      FROM bound, issuer
      WHERE bound.n = ${sans.length} AND issuer.active
      RETURNING created_at
    )
    SELECT ins.created_at, (SELECT active FROM issuer) AS issuer_active,
      CASE WHEN ins.created_at IS NOT NULL THEN ${lockAuditChainSql} END AS locked
    FROM (SELECT 1) AS one LEFT JOIN ins ON true`;
  try {
    return await chainTransaction(pool, sql, (rows) => {
      if (!rows[0].created_at) {
        if (!rows[0].issuer_active) throw new DbConflictError('issuer_inactive', `CA ${c.issuerId} is no longer an active issuing CA`, { issuerId: c.issuerId });
        throw new DbConflictError('san_binding', 'a SAN URI of the request is not bound to the organization', { organizationId: c.organizationId, sanUris: c.sanUris });
      }
      return {
        ...c, status: 'pending' as const, der: null, revokedAt: null, revocationReason: null, invalidityDate: null, createdAt: rows[0].created_at as Date, issuedAt: null,
      };
    }, events);
  } catch (err) {
    if (isUniqueViolation(err)) throw new DbConflictError('certificate_unique', 'serial or request id already used', { requestKey: c.requestKey });
    throw err;
  }
}

interface CertificateRow {
  id: string; issuer_id: string; organization_id: string; serial: Buffer; profile: string; status: string; subject: string;
  san_uris: string[]; key_type: string; not_before: Date; not_after: Date; tbs_der: Buffer; der: Buffer | null;
  request_key: string | null; request_fingerprint: string | null; requested_by: string; revoked_at: Date | null;
  revocation_reason: number | null; invalidity_date: Date | null; created_at: Date; issued_at: Date | null;
}

function rowToCertificate(r: CertificateRow): CertificateRecord {
  return {
    id: r.id, issuerId: r.issuer_id, organizationId: r.organization_id, serial: bytes(r.serial), profile: r.profile as LeafProfile,
    status: r.status as CertificateStatus, subject: r.subject, sanUris: r.san_uris, keyType: r.key_type as KeyType,
    notBefore: r.not_before, notAfter: r.not_after, tbsDer: bytes(r.tbs_der), der: r.der ? bytes(r.der) : null,
    requestKey: r.request_key, requestFingerprint: r.request_fingerprint, requestedBy: r.requested_by, revokedAt: r.revoked_at,
    revocationReason: r.revocation_reason, invalidityDate: r.invalidity_date, createdAt: r.created_at, issuedAt: r.issued_at,
  };
}

/**
 * One transaction: store the signed certificate of a pending issuance, then take the chain lock and
 * append `events`. A certificate that is no longer pending is an error and nothing is written.
 */
export async function completeWithAudit(pool: Pool, id: string, der: Uint8Array, issuedAt: Date, events: AuditInput[]): Promise<CertificateRecord> {
  const sql = `WITH upd AS (
      UPDATE certificate SET der = ${litBytes(der)}, status = 'issued', issued_at = ${litTime(issuedAt)}
      WHERE id = ${lit(id)}::uuid AND status = 'pending' RETURNING *
    )
    SELECT upd.*, ${lockAuditChainSql} AS locked FROM upd`;
  return chainTransaction(pool, sql, (rows) => {
    if (rows.length === 0) throw new Error(`certificate ${id} is not pending`);
    return rowToCertificate(rows[0] as unknown as CertificateRow);
  }, events);
}

/** The organization (with SAN URIs), its community and active issuing CA, in one query. */
export async function findIssuanceContext(pool: Pool, organizationId: string): Promise<IssuanceContextRecord | null> {
  const { rows } = await pool.query(
    `SELECT o.id AS o_id, o.community_id AS o_community_id, o.name AS o_name, o.created_at AS o_created_at,
            ARRAY(SELECT b.uri FROM san_binding b WHERE b.organization_id = o.id ORDER BY b.created_at) AS o_san_uris,
            c.id AS c_id, c.uri AS c_uri, c.name AS c_name, c.allowed_leaf_key_types AS c_allowed_leaf_key_types,
            c.max_leaf_validity_days AS c_max_leaf_validity_days, c.crl_lifetime_seconds AS c_crl_lifetime_seconds,
            c.allow_generated_keys AS c_allow_generated_keys, c.created_at AS c_created_at,
            ca.id AS ca_id, ca.community_id AS ca_community_id, ca.role AS ca_role, ca.status AS ca_status, ca.parent_id AS ca_parent_id,
            ca.subject_der AS ca_subject_der, ca.subject AS ca_subject, ca.key_type AS ca_key_type, ca.key_ref AS ca_key_ref,
            ca.spki_der AS ca_spki_der, ca.certificate_der AS ca_certificate_der, ca.csr_der AS ca_csr_der, ca.not_before AS ca_not_before,
            ca.not_after AS ca_not_after, ca.last_crl_number::text AS ca_last_crl_number, ca.created_at AS ca_created_at
     FROM organization o
     JOIN community c ON c.id = o.community_id
     LEFT JOIN LATERAL (
       SELECT * FROM certificate_authority x WHERE x.community_id = c.id AND x.role = 'issuing' AND x.status = 'active' ORDER BY x.created_at LIMIT 1
     ) ca ON true
     WHERE o.id = $1::uuid`,
    [organizationId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    org: { id: r.o_id, communityId: r.o_community_id, name: r.o_name, createdAt: r.o_created_at, sanUris: r.o_san_uris },
    community: {
      id: r.c_id, uri: r.c_uri, name: r.c_name, allowedLeafKeyTypes: r.c_allowed_leaf_key_types as KeyType[],
      maxLeafValidityDays: r.c_max_leaf_validity_days, crlLifetimeSeconds: r.c_crl_lifetime_seconds,
      allowGeneratedKeys: r.c_allow_generated_keys, createdAt: r.c_created_at,
    },
    issuer: r.ca_id === null ? null : {
      id: r.ca_id, communityId: r.ca_community_id, role: r.ca_role as CaRecord['role'], status: r.ca_status as CaStatus,
      parentId: r.ca_parent_id, subjectDer: bytes(r.ca_subject_der), subject: r.ca_subject, keyType: r.ca_key_type as KeyType,
      keyRef: r.ca_key_ref, spkiDer: bytes(r.ca_spki_der), certificateDer: r.ca_certificate_der ? bytes(r.ca_certificate_der) : null,
      csrDer: r.ca_csr_der ? bytes(r.ca_csr_der) : null, notBefore: r.ca_not_before, notAfter: r.ca_not_after,
      lastCrlNumber: BigInt(r.ca_last_crl_number), createdAt: r.ca_created_at,
    },
  };
}

/** Throttle of the token's last-use write: at most one write per token per minute. */
const TOKEN_USE_WRITE_INTERVAL_MS = 60_000;

/**
 * Finds a live API token by hash and records its use, writing lastUsedAt only when the stored one
 * is older than a minute (the guard runs on every request; a write per request costs a transaction).
 */
export async function useApiTokenThrottled(pool: Pool, tokenHash: string, now: Date): Promise<{ id: string; name: string } | null> {
  const { rows } = await pool.query<{ id: string; name: string; revoked_at: Date | null; last_used_at: Date | null }>(
    'SELECT id, name, revoked_at, last_used_at FROM api_token WHERE token_hash = $1', [tokenHash],
  );
  const t = rows[0];
  if (!t || t.revoked_at) return null;
  if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() >= TOKEN_USE_WRITE_INTERVAL_MS || now < t.last_used_at) {
    await pool.query('UPDATE api_token SET last_used_at = $2 WHERE id = $1::uuid', [t.id, now]);
  }
  return { id: t.id, name: t.name };
}
