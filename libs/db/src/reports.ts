// Read models of the console's dashboard and history pages: counts and short lists, every one
// restricted to the caller's communities (or organization) by the API's scope.
import { toCertificate, toCrl } from './mappers';
import type { CertificateRecord, CrlRecord } from './records';
import type { StoreScope } from './scope';

/** The newest CRL of one CA, for freshness at a glance. */
export interface CrlFreshness {
  caId: string;
  caSubject: string;
  caRole: 'root' | 'issuing';
  communityId: string;
  /** The CA's key reference (an external root's CRL is not the platform's to issue). */
  keyRef: string;
  status: string;
  crlNumber: bigint | null;
  thisUpdate: Date | null;
  nextUpdate: Date | null;
  entryCount: number | null;
}

/** Certificates issued and revoked on one UTC day. */
export interface ActivityDay {
  day: string;
  issued: number;
  revoked: number;
}

/** One CRL of a CA as a chart point. */
export interface CrlPointRecord {
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entryCount: number;
  bytes: number;
  lifetimeSeconds: number;
  secondsLeftAtReplacement: number | null;
}

/** A CA and its CRLs of a window. */
export interface CaCrlHistory {
  caId: string;
  caSubject: string;
  caRole: 'root' | 'issuing';
  communityId: string;
  status: string;
  crls: CrlPointRecord[];
}

/** A CA of a community with its leaf certificates counted by state. */
export interface CaLeafCounts {
  caId: string;
  active: number;
  revoked: number;
  expired: number;
}

/** Restriction of a report: communities (an operator's scope) or one organization (a member admin). */
export interface ReportScope {
  communityIds?: string[];
  organizationId?: string;
}

/** Kinds of record a queued job can be about (libs/jobs JobSubject), each in one community. */
export type SubjectKind = 'ca' | 'organization' | 'bulk-revocation' | 'notice' | 'revocation-delivery';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Dashboard and history queries (see the file comment). */
export class Reports {
  constructor(private readonly s: StoreScope) {}

  /**
   * The community of each record named, keyed `${kind}:${id}`, in one query (the queue page scopes
   * thousands of jobs by it); a record that does not exist, or an id that is not a UUID, is absent.
   */
  async communitiesOf(subjects: { kind: SubjectKind; id: string }[]): Promise<Map<string, string>> {
    const ids = (kind: SubjectKind) => [...new Set(subjects.filter((s) => s.kind === kind && UUID.test(s.id)).map((s) => s.id))];
    const params = (['ca', 'organization', 'bulk-revocation', 'notice', 'revocation-delivery'] as const).map(ids);
    if (params.every((p) => p.length === 0)) return new Map();
    const rows = await this.s.prisma.$queryRawUnsafe<{ kind: SubjectKind; id: string; community_id: string }[]>(
      `SELECT 'ca' AS kind, id::text AS id, community_id::text AS community_id FROM certificate_authority WHERE id = ANY($1::uuid[])
       UNION ALL SELECT 'organization', id::text, community_id::text FROM organization WHERE id = ANY($2::uuid[])
       UNION ALL SELECT 'bulk-revocation', id::text, community_id::text FROM bulk_revocation WHERE id = ANY($3::uuid[])
       UNION ALL SELECT 'notice', id::text, community_id::text FROM expiry_notice WHERE id = ANY($4::uuid[])
       UNION ALL SELECT 'revocation-delivery', d.id::text, n.community_id::text FROM revocation_delivery d JOIN revocation_notice n ON n.id = d.notice_id WHERE d.id = ANY($5::uuid[])`,
      ...params,
    );
    return new Map(rows.map((r) => [`${r.kind}:${r.id}`, r.community_id]));
  }

  /** Requests waiting for an operator. */
  async pendingRequests(scope: ReportScope): Promise<number> {
    return this.s.prisma.certificateRequest.count({
      where: {
        status: { in: ['submitted', 'approved'] },
        ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
        ...(scope.communityIds ? { organization: { communityId: { in: scope.communityIds } } } : {}),
      },
    });
  }

  /** Organizations whose profile waits for review. */
  async organizationsAwaitingReview(scope: ReportScope): Promise<number> {
    return this.s.prisma.organization.count({
      where: {
        status: 'submitted',
        ...(scope.organizationId ? { id: scope.organizationId } : {}),
        ...(scope.communityIds ? { communityId: { in: scope.communityIds } } : {}),
      },
    });
  }

  /** Issued, unrevoked certificates whose notAfter falls before `until` (soonest first), and how many. */
  async expiringSoon(scope: ReportScope, now: Date, until: Date, take: number): Promise<{ items: CertificateRecord[]; total: number }> {
    const where = {
      status: 'issued',
      notAfter: { gt: now, lte: until },
      ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
      ...(scope.communityIds ? { issuer: { communityId: { in: scope.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.certificate.findMany({ where, orderBy: { notAfter: 'asc' }, take }),
      this.s.prisma.certificate.count({ where }),
    ]);
    return { items: rows.map(toCertificate), total };
  }

  /** The newest CRL of every CA with a certificate in scope. */
  async crlFreshness(communityIds: string[] | undefined): Promise<CrlFreshness[]> {
    const cas = await this.s.prisma.certificateAuthority.findMany({
      where: { certificateDer: { not: null }, ...(communityIds ? { communityId: { in: communityIds } } : {}) },
      orderBy: [{ communityId: 'asc' }, { role: 'desc' }, { createdAt: 'asc' }],
      select: { id: true, subject: true, role: true, communityId: true, keyRef: true, status: true },
    });
    return Promise.all(cas.map(async (ca) => {
      const crl = await this.s.prisma.crl.findFirst({
        where: { caId: ca.id }, orderBy: { crlNumber: 'desc' }, select: { crlNumber: true, thisUpdate: true, nextUpdate: true, entryCount: true },
      });
      return {
        caId: ca.id, caSubject: ca.subject, caRole: ca.role as 'root' | 'issuing', communityId: ca.communityId, keyRef: ca.keyRef, status: ca.status,
        crlNumber: crl?.crlNumber ?? null, thisUpdate: crl?.thisUpdate ?? null, nextUpdate: crl?.nextUpdate ?? null, entryCount: crl?.entryCount ?? null,
      };
    }));
  }

  /**
   * Figures of the metrics endpoint, in one query each: every CA's newest CRL (number, nextUpdate,
   * entries, size: octet_length reads only the stored value's header), certificates by status,
   * bulk revocations by status, expiry notices sent.
   */
  async metrics(): Promise<{
    crls: { caId: string; communityId: string; role: string; status: string; keyRef: string; crlNumber: bigint | null; nextUpdate: Date | null; entryCount: number | null; bytes: number | null }[];
    certificates: Record<string, number>;
    bulkRevocations: Record<string, number>;
    notices: { emailed: number; webhooks: number; pending: number };
  }> {
    const crls = await this.s.prisma.$queryRawUnsafe<{ ca_id: string; community_id: string; role: string; status: string; key_ref: string; crl_number: string | null; next_update: Date | null; entry_count: number | null; bytes: number | null }[]>(
      `SELECT ca.id AS ca_id, ca.community_id, ca.role, ca.status, ca.key_ref, l.crl_number::text AS crl_number, l.next_update, l.entry_count, l.bytes
         FROM certificate_authority ca
         LEFT JOIN LATERAL (SELECT crl_number, next_update, entry_count, octet_length(der) AS bytes FROM crl WHERE crl.ca_id = ca.id ORDER BY crl_number DESC LIMIT 1) l ON true
        WHERE ca.certificate_der IS NOT NULL ORDER BY ca.created_at`,
    );
    const count = async (table: 'certificate' | 'bulk_revocation') => Object.fromEntries(
      (await this.s.prisma.$queryRawUnsafe<{ status: string; n: number }[]>(`SELECT status, count(*)::int AS n FROM ${table} GROUP BY status`)).map((r) => [r.status, r.n]),
    );
    return {
      crls: crls.map((r) => ({
        caId: r.ca_id, communityId: r.community_id, role: r.role, status: r.status, keyRef: r.key_ref, crlNumber: r.crl_number === null ? null : BigInt(r.crl_number),
        nextUpdate: r.next_update, entryCount: r.entry_count, bytes: r.bytes === null ? null : Number(r.bytes),
      })),
      certificates: await count('certificate'),
      bulkRevocations: await count('bulk_revocation'),
      notices: (await this.s.prisma.$queryRawUnsafe<{ emailed: number; webhooks: number; pending: number }[]>(
        `SELECT count(email_sent_at)::int AS emailed, count(webhook_delivered_at)::int AS webhooks,
                count(*) FILTER (WHERE (email_sent_at IS NULL AND last_error IS DISTINCT FROM 'no enabled recipient to e-mail')
                                    OR (webhook_url IS NOT NULL AND webhook_delivered_at IS NULL))::int AS pending
           FROM expiry_notice`,
      ))[0],
    };
  }

  /**
   * Certificates issued (issued_at) and revoked or put on hold (revoked_at) per UTC day, for the `days` days
   * ending with the day of `now`, every day present; in `communityIds` (undefined: every community).
   */
  async activity(communityIds: string[] | undefined, now: Date, days: number): Promise<ActivityDay[]> {
    return this.s.sql.query<ActivityDay>(
      `WITH win AS (SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date - ($2::int - 1) AS first),
            bounds AS (SELECT first, first::timestamp AT TIME ZONE 'UTC' AS since FROM win),
            issued AS (SELECT (c.issued_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n
                         FROM certificate c JOIN certificate_authority ca ON ca.id = c.issuer_id, bounds
                        WHERE c.issued_at >= bounds.since AND c.issued_at <= $1 AND ($3::uuid[] IS NULL OR ca.community_id = ANY($3::uuid[])) GROUP BY 1),
            revoked AS (SELECT (c.revoked_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n
                          FROM certificate c JOIN certificate_authority ca ON ca.id = c.issuer_id, bounds
                         WHERE c.revoked_at >= bounds.since AND c.revoked_at <= $1 AND ($3::uuid[] IS NULL OR ca.community_id = ANY($3::uuid[])) GROUP BY 1)
       SELECT to_char(b.first + d.n, 'YYYY-MM-DD') AS day, COALESCE(i.n, 0) AS issued, COALESCE(r.n, 0) AS revoked
         FROM bounds b CROSS JOIN generate_series(0, $2::int - 1) AS d(n)
         LEFT JOIN issued i ON i.day = b.first + d.n
         LEFT JOIN revoked r ON r.day = b.first + d.n
        ORDER BY d.n`,
      [now, days, communityIds ?? null],
    );
  }

  /**
   * The CRLs each CA with a certificate in `communityIds` published since `since`, oldest first, with their
   * size and lifetime, and how much of it was left when the next CRL replaced each (a window function over
   * the CA's whole history, so the first CRL of the window knows its successor too).
   */
  async crlHistory(communityIds: string[] | undefined, since: Date): Promise<CaCrlHistory[]> {
    const rows = await this.s.sql.query<{
      ca_id: string; subject: string; role: 'root' | 'issuing'; community_id: string; status: string; crl_number: string | null; this_update: Date | null; next_update: Date | null;
      entry_count: number | null; bytes: number | null; lifetime: number | null; left_at_replacement: number | null;
    }>(
      `SELECT ca.id::text AS ca_id, ca.subject, ca.role, ca.community_id::text AS community_id, ca.status, x.crl_number::text AS crl_number, x.this_update, x.next_update,
              x.entry_count, x.bytes, x.lifetime, x.left_at_replacement
         FROM certificate_authority ca
         LEFT JOIN LATERAL (
           SELECT crl_number, this_update, next_update, entry_count, octet_length(der)::int AS bytes,
                  floor(extract(epoch FROM next_update - this_update))::int AS lifetime,
                  floor(extract(epoch FROM next_update - lead(this_update) OVER (ORDER BY crl_number)))::int AS left_at_replacement
             FROM crl WHERE crl.ca_id = ca.id
         ) x ON x.this_update >= $2
        WHERE ca.certificate_der IS NOT NULL AND ($1::uuid[] IS NULL OR ca.community_id = ANY($1::uuid[]))
        ORDER BY ca.community_id, ca.role DESC, ca.created_at, ca.id, x.crl_number`,
      [communityIds ?? null, since],
    );
    const out = new Map<string, CaCrlHistory>();
    for (const r of rows) {
      let ca = out.get(r.ca_id);
      if (!ca) out.set(r.ca_id, (ca = { caId: r.ca_id, caSubject: r.subject, caRole: r.role, communityId: r.community_id, status: r.status, crls: [] }));
      if (r.crl_number === null) continue;
      ca.crls.push({
        crlNumber: BigInt(r.crl_number), thisUpdate: r.this_update!, nextUpdate: r.next_update!, entryCount: r.entry_count!, bytes: r.bytes!,
        lifetimeSeconds: r.lifetime!, secondsLeftAtReplacement: r.left_at_replacement,
      });
    }
    return [...out.values()];
  }

  /** Issued, unrevoked certificates whose notAfter falls in week n (after now + 7n days, up to now + 7(n+1) days), n from 0 to weeks - 1. */
  async expiringByWeek(communityIds: string[] | undefined, now: Date, weeks: number): Promise<{ week: number; count: number }[]> {
    return this.s.sql.query<{ week: number; count: number }>(
      `SELECT w.n AS week, count(c.id)::int AS count
         FROM generate_series(0, $3::int - 1) AS w(n)
         LEFT JOIN (certificate c JOIN certificate_authority ca ON ca.id = c.issuer_id AND ($1::uuid[] IS NULL OR ca.community_id = ANY($1::uuid[])))
           ON c.status = 'issued' AND c.not_after > $2::timestamptz + w.n * interval '7 days' AND c.not_after <= $2::timestamptz + (w.n + 1) * interval '7 days'
        GROUP BY w.n ORDER BY w.n`,
      [communityIds ?? null, now, weeks],
    );
  }

  /** Each CA of a community with its leaf certificates: active (issued, unexpired), revoked (revoked or on hold), expired (issued, notAfter passed). */
  async leafCounts(communityId: string, now: Date): Promise<CaLeafCounts[]> {
    return this.s.sql.query<CaLeafCounts>(
      `SELECT ca.id::text AS "caId",
              count(c.id) FILTER (WHERE c.status = 'issued' AND c.not_after > $2)::int AS active,
              count(c.id) FILTER (WHERE c.status IN ('revoked', 'on-hold'))::int AS revoked,
              count(c.id) FILTER (WHERE c.status = 'issued' AND c.not_after <= $2)::int AS expired
         FROM certificate_authority ca LEFT JOIN certificate c ON c.issuer_id = ca.id
        WHERE ca.community_id = $1
        GROUP BY ca.id`,
      [communityId, now],
    );
  }

  /** One CRL of a CA's history, with its DER. */
  async crlByNumber(caId: string, crlNumber: bigint): Promise<CrlRecord | null> {
    const r = await this.s.prisma.crl.findFirst({ where: { caId, crlNumber } });
    return r ? toCrl(r) : null;
  }
}
