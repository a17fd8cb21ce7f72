// Issued certificates: the issuance hot path (intent, completion, context: issuance-store.ts's
// statements), revocation state, lookups and lists.
import { completeWithAudit, findIssuanceContext, recordIntentWithAudit, type IssuanceIntentInput } from './issuance-store';
import type { IssuanceWrites } from './issuance-writes';
import { toCertificate } from './mappers';
import { pgRunner } from './pg-transaction';
import type { AuditInput, CertificateRecord, IssuanceContextRecord, ListOrder, Page } from './records';
import type { StoreScope } from './scope';
import { addSerialPrefix, containsPattern, hexPrefixRange, idPage, inIdOrder, orderColumn, SqlConditions } from './sql-search';

/** Filter of certificate lists. */
export interface CertificateFilter {
  organizationId?: string;
  issuerId?: string;
  status?: string;
  /** Hex prefix of the serial (any case; a whole serial is its own prefix). */
  serialHex?: string;
  /** Text found (case-insensitively) in one of the SAN URIs. */
  san?: string;
  /** One search box: text in a SAN URI, the subject or the organization's name, or a hex serial prefix. */
  q?: string;
  /** Only certificates issued in these communities (an operator's scope). */
  communityIds?: string[];
}

/** A SAN URI of a live server certificate and the organization holding it. */
export interface LiveServerEndpoint {
  organizationId: string;
  uri: string;
}

/** The statement of CertificateStore.unrevokedCounts (exported so a test can read its plan). */
export function unrevokedCountsQuery(of: { organizationId: string } | { issuerId: string }, at: Date): { text: string; values: unknown[] } {
  const column = 'organizationId' in of ? 'organization_id' : 'issuer_id';
  return {
    text: `SELECT count(*) FILTER (WHERE status = 'issued' AND not_after > $2) AS live,
                  count(*) FILTER (WHERE status = 'on-hold' AND not_after > $2) AS on_hold,
                  count(*) AS to_revoke
             FROM certificate WHERE ${column} = $1::uuid AND status IN ('issued', 'on-hold')`,
    values: ['organizationId' in of ? of.organizationId : of.issuerId, at],
  };
}

/** Columns the certificate list sorts by (ListOrder fields). */
const CERTIFICATE_ORDER: Record<string, string> = {
  notAfter: 'c.not_after', notBefore: 'c.not_before', createdAt: 'c.created_at', status: 'c.status', profile: 'c.profile',
};

/** Certificates (see the file comment). */
export class CertificateStore {
  /** `writes`: the grouped intents and completions (issuance-writes.ts), outside transactions. */
  constructor(private readonly s: StoreScope, private readonly writes: IssuanceWrites | null = null) {}

  /** Finds the certificate recorded under an idempotency key. */
  async findByRequestKey(requestKey: string): Promise<CertificateRecord | null> {
    const r = await this.s.prisma.certificate.findUnique({ where: { requestKey } });
    return r ? toCertificate(r) : null;
  }

  /**
   * Records the intent to issue and its audit events (e.g. certificate.intent, signature.before) in
   * one statement, so both are committed before anything is signed. Refuses (DbConflictError
   * 'san_binding') if a SAN URI is not bound to the organization in `communityId` at that moment,
   * or ('issuer_inactive') if the issuer is no longer an active issuing CA. Outside a transaction,
   * concurrent intents share statements (issuance-writes.ts), each with its own outcome.
   */
  recordIntent(c: IssuanceIntentInput, communityId: string, events: AuditInput[]): Promise<CertificateRecord> {
    const grouped = this.writes;
    return grouped ? grouped.intents.submit({ c, communityId, events }) : recordIntentWithAudit(this.s.sql, c, communityId, events);
  }

  /**
   * Stores the signed certificate of a pending issuance and its audit events in one statement (with
   * other concurrent completions, outside a transaction: issuance-writes.ts).
   */
  complete(pending: CertificateRecord, der: Uint8Array, issuedAt: Date, events: AuditInput[]): Promise<CertificateRecord> {
    const grouped = this.writes;
    return grouped ? grouped.completions.submit({ pending, der, issuedAt, events }) : completeWithAudit(this.s.sql, pending, der, issuedAt, events);
  }

  /**
   * The organization with its SAN URIs, its community and the community's active issuing CA, in one
   * query on the pool, or from the context cache (context-cache.ts: up to a second old, shared, treat
   * as read-only) unless `fresh`.
   */
  issuanceContext(organizationId: string, opts: { fresh?: boolean } = {}): Promise<IssuanceContextRecord | null> {
    const read = () => findIssuanceContext(pgRunner(this.s.pool), organizationId);
    const cache = this.s.contexts;
    return opts.fresh ? cache.fresh(organizationId, read) : cache.getOrLoad(organizationId, read);
  }

  /** Finds a certificate by id. */
  async find(id: string): Promise<CertificateRecord | null> {
    const r = await this.s.prisma.certificate.findUnique({ where: { id } });
    return r ? toCertificate(r) : null;
  }

  /** Finds a certificate by issuer and serial. */
  async findBySerial(issuerId: string, serial: Uint8Array): Promise<CertificateRecord | null> {
    const r = await this.s.prisma.certificate.findUnique({ where: { issuerId_serial: { issuerId, serial: Buffer.from(serial) } } });
    return r ? toCertificate(r) : null;
  }

  /** Locks a certificate row for the rest of the transaction and returns its current state. */
  async lock(id: string): Promise<CertificateRecord | null> {
    await this.s.sql.query('SELECT 1 AS locked FROM certificate WHERE id = $1::uuid FOR UPDATE', [id]);
    return this.find(id);
  }

  /**
   * Marks a certificate revoked (or on hold) and not yet on a published CRL, storing its CRL entry
   * DER (encoded by the authority from these same fields) for CRL generation to concatenate.
   */
  async markRevoked(id: string, r: { revokedAt: Date; reason: number; invalidityDate: Date | null; crlEntryDer: Uint8Array }): Promise<CertificateRecord> {
    const row = await this.s.prisma.certificate.update({
      where: { id },
      data: {
        status: r.reason === 6 ? 'on-hold' : 'revoked',
        revokedAt: r.revokedAt,
        revocationReason: r.reason,
        invalidityDate: r.invalidityDate,
        crlEntryDer: Buffer.from(r.crlEntryDer),
        revocationPublished: false,
      },
    });
    return toCertificate(row);
  }

  /** Releases a hold: the certificate is valid again and leaves the next CRL (RFC 5280 §5.3.1). */
  async releaseHold(id: string): Promise<CertificateRecord> {
    const row = await this.s.prisma.certificate.update({
      where: { id, status: 'on-hold' },
      data: { status: 'issued', revokedAt: null, revocationReason: null, invalidityDate: null, crlEntryDer: null, revocationPublished: false },
    });
    return toCertificate(row);
  }

  /**
   * Issuers with a revocation, hold or release committed but on no committed CRL yet (a crash or a
   * failed signature between the two); read through the partial index on unpublished rows.
   */
  async issuersWithUnpublishedRevocations(): Promise<string[]> {
    const rows = await this.s.sql.query<{ issuer_id: string }>('SELECT DISTINCT issuer_id::text AS issuer_id FROM certificate WHERE NOT revocation_published', []);
    return rows.map((r) => r.issuer_id);
  }

  /**
   * The SAN URIs of the live server certificates of a community's organizations (profile
   * udap-server, issued, valid at `at`; never revoked or on hold), one row per organization and
   * URI, in one query: the endpoints of the community directory.
   */
  async liveServerEndpoints(communityId: string, at: Date): Promise<LiveServerEndpoint[]> {
    const rows = await this.s.sql.query<{ organization_id: string; uri: string }>(
      `SELECT c.organization_id::text AS organization_id, u.uri
         FROM certificate c
         JOIN certificate_authority ca ON ca.id = c.issuer_id
         CROSS JOIN LATERAL unnest(c.san_uris) AS u(uri)
        WHERE ca.community_id = $1::uuid AND c.profile = 'udap-server' AND c.status = 'issued'
          AND c.not_before <= $2 AND c.not_after > $2
        GROUP BY c.organization_id, u.uri
        ORDER BY c.organization_id, min(c.issued_at), u.uri`,
      [communityId, at],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, uri: r.uri }));
  }

  /**
   * Certificates of an organization or issued by a CA that a bulk revocation would revoke (status
   * issued or on hold, expired ones included), and of those the ones still valid at `at`: one
   * aggregate read through the partial index on unrevoked rows (certificate_live_org_idx or
   * certificate_live_issuer_idx), so the count never scans revoked history.
   */
  async unrevokedCounts(of: { organizationId: string } | { issuerId: string }, at: Date): Promise<{ live: number; onHold: number; toRevoke: number }> {
    const q = unrevokedCountsQuery(of, at);
    const rows = await this.s.sql.query<{ live: string; on_hold: string; to_revoke: string }>(q.text, q.values);
    const r = rows[0]!;
    return { live: Number(r.live), onHold: Number(r.on_hold), toRevoke: Number(r.to_revoke) };
  }

  /** Lists certificates with a filter, newest first. */
  async list(f: CertificateFilter, skip = 0, take = 100, order?: ListOrder): Promise<Page<CertificateRecord>> {
    const c = new SqlConditions();
    if (f.organizationId) c.add('c.organization_id = ?::uuid', f.organizationId);
    if (f.issuerId) c.add('c.issuer_id = ?::uuid', f.issuerId);
    if (f.status) c.add('c.status = ?', f.status);
    if (f.serialHex) addSerialPrefix(c, 'c.serial', f.serialHex);
    if (f.san) c.add("array_to_string(c.san_uris, ' ') ILIKE ?", containsPattern(f.san));
    if (f.communityIds) c.add('ca.community_id = ANY(?::uuid[])', f.communityIds);
    if (f.q) {
      const like = containsPattern(f.q);
      const text = "array_to_string(c.san_uris, ' ') ILIKE ? OR c.subject ILIKE ? OR o.name ILIKE ?";
      // hex of two digits or more may also be the start of a serial
      const serial = /^[0-9a-f]{2,40}$/i.test(f.q) ? hexPrefixRange(f.q) : null;
      if (serial) c.add(`(${text} OR (c.serial >= ?${serial.to ? ' AND c.serial < ?' : ''}))`, like, like, like, serial.from, ...(serial.to ? [serial.to] : []));
      else c.add(`(${text})`, like);
    }
    const { ids, total } = await idPage(this.s.sql, {
      from: 'certificate c JOIN certificate_authority ca ON ca.id = c.issuer_id JOIN organization o ON o.id = c.organization_id',
      id: 'c.id', c, skip, take, orderBy: orderColumn(order, CERTIFICATE_ORDER, 'c.created_at'),
    });
    const rows = ids.length ? await this.s.prisma.certificate.findMany({ where: { id: { in: ids } } }) : [];
    return { items: inIdOrder(rows, ids).map(toCertificate), total };
  }
}
