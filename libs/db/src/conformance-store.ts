// Endpoint conformance monitoring (docs/conformance.md): the monitored member servers, their append-only
// check history and the alerts of passing -> failing transitions. The monitored set is synced from the
// live udap-server certificates in one statement; a scan leases what is due with SKIP LOCKED, so
// replicas scanning at the same moment take different endpoints; a check's result is recorded under
// the endpoint's row lock (lock, then recordCheck and setState in the caller's transaction), so a
// transition is seen, and alerted, once.
import type * as P from './generated/prisma/client';
import type {
  ConformanceAlertRecord, ConformanceCheckRecord, ConformanceEndpointRecord, ConformanceSyncOutcome, LeasedEndpoint, ListOrder, NewConformanceCheck, Page,
  StoredConformanceFinding,
} from './records';
import type { StoreScope } from './scope';

function toEndpoint(r: P.ConformanceEndpoint): ConformanceEndpointRecord {
  return {
    id: r.id, communityId: r.communityId, organizationId: r.organizationId, baseUrl: r.baseUrl, status: r.status as ConformanceEndpointRecord['status'],
    statusSince: r.statusSince, lastCheckedAt: r.lastCheckedAt, lastPassingAt: r.lastPassingAt, lastCheckId: r.lastCheckId,
    consecutiveFailures: r.consecutiveFailures, nextDueAt: r.nextDueAt, certificatesGoneAt: r.certificatesGoneAt, retiredAt: r.retiredAt, createdAt: r.createdAt,
  };
}

function toCheck(r: P.ConformanceCheck): ConformanceCheckRecord {
  return {
    id: r.id, endpointId: r.endpointId, checkedAt: r.checkedAt, status: r.status as ConformanceCheckRecord['status'],
    trigger: r.trigger as ConformanceCheckRecord['trigger'], requestedBy: r.requestedBy, findings: r.findings as unknown as StoredConformanceFinding[],
    signerSerial: r.signerSerial, signerCertificateId: r.signerCertificateId, durationMs: r.durationMs, httpStatus: r.httpStatus,
  };
}

function toAlert(r: P.ConformanceAlert): ConformanceAlertRecord {
  return {
    id: r.id, endpointId: r.endpointId, checkId: r.checkId, organizationId: r.organizationId, communityId: r.communityId, baseUrl: r.baseUrl,
    codes: r.codes, lastPassingAt: r.lastPassingAt, createdAt: r.createdAt, emailTo: r.emailTo, emailSentAt: r.emailSentAt, webhookUrl: r.webhookUrl,
    webhookDeliveredAt: r.webhookDeliveredAt, webhookAttempts: r.webhookAttempts, lastError: r.lastError,
  };
}

/** Filter of endpoint lists. */
export interface ConformanceEndpointFilter {
  communityIds?: string[];
  communityId?: string;
  organizationId?: string;
  status?: string;
  /** Retired endpoints too (default: monitored ones only). */
  includeRetired?: boolean;
}

/** The state an endpoint takes after a check (computed by the authority under the row lock). */
export interface ConformanceState {
  status: 'passing' | 'failing';
  statusSince: Date | null;
  lastCheckedAt: Date;
  lastPassingAt: Date | null;
  lastCheckId: string;
  consecutiveFailures: number;
}

/** Conformance endpoints, checks and alerts (see the file comment). */
export class ConformanceStore {
  constructor(private readonly s: StoreScope) {}

  /**
   * Syncs the monitored set with the SAN URIs of live udap-server certificates (issued, valid at `now`):
   * URIs not monitored yet are added, due now; endpoints that lost their last live certificate get
   * `certificates_gone_at` (and keep being checked: a server still serving metadata signed with its
   * revoked certificate must show failing); those gone for `graceMs` are retired; a retired or gone
   * endpoint named again by a live certificate is monitored again (a retired one due at once).
   */
  async sync(now: Date, graceMs: number): Promise<ConformanceSyncOutcome> {
    const rows = await this.s.sql.query<{ added: number; gone: number; retired: number }>(
      `WITH live AS (
         SELECT DISTINCT ca.community_id, c.organization_id, u.uri
           FROM certificate c
           JOIN certificate_authority ca ON ca.id = c.issuer_id
           CROSS JOIN LATERAL unnest(c.san_uris) AS u(uri)
          WHERE c.profile = 'udap-server' AND c.status = 'issued' AND c.not_before <= $1 AND c.not_after > $1
       ), added AS (
         INSERT INTO conformance_endpoint AS e (id, community_id, organization_id, base_url, next_due_at)
         SELECT gen_random_uuid(), community_id, organization_id, uri, $1 FROM live
         ON CONFLICT (community_id, base_url) DO UPDATE
           SET certificates_gone_at = NULL, retired_at = NULL,
               next_due_at = CASE WHEN e.retired_at IS NOT NULL THEN $1 ELSE e.next_due_at END
           WHERE e.certificates_gone_at IS NOT NULL
         RETURNING 1
       ), gone AS (
         UPDATE conformance_endpoint e SET certificates_gone_at = $1
          WHERE e.certificates_gone_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM live l WHERE l.community_id = e.community_id AND l.uri = e.base_url)
         RETURNING 1
       ), retired AS (
         UPDATE conformance_endpoint e SET retired_at = $1
          WHERE e.retired_at IS NULL AND e.certificates_gone_at <= $1::timestamptz - make_interval(secs => $2::double precision)
            AND NOT EXISTS (SELECT 1 FROM live l WHERE l.community_id = e.community_id AND l.uri = e.base_url)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM added)::int AS added, (SELECT count(*) FROM gone)::int AS gone, (SELECT count(*) FROM retired)::int AS retired`,
      [now, graceMs / 1000],
    );
    const r = rows[0];
    return { added: Number(r?.added ?? 0), certificatesGone: Number(r?.gone ?? 0), retired: Number(r?.retired ?? 0) };
  }

  /**
   * Takes up to `limit` monitored endpoints due by `dueBy` for a check: their next due time moves to
   * `leaseUntil`, in one statement; rows another scan holds are skipped.
   */
  async leaseDue(dueBy: Date, leaseUntil: Date, limit: number): Promise<LeasedEndpoint[]> {
    const rows = await this.s.sql.query<{ id: string; organization_id: string }>(
      `UPDATE conformance_endpoint SET next_due_at = $2
        WHERE id IN (SELECT id FROM conformance_endpoint WHERE retired_at IS NULL AND next_due_at <= $1
                      ORDER BY next_due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, organization_id::text AS organization_id`,
      [dueBy, leaseUntil, limit],
    );
    return rows.map((r) => ({ id: r.id, organizationId: r.organization_id }));
  }

  /** One endpoint. */
  async find(id: string): Promise<ConformanceEndpointRecord | null> {
    const r = await this.s.prisma.conformanceEndpoint.findUnique({ where: { id } });
    return r ? toEndpoint(r) : null;
  }

  /** The endpoint of a community's base URL. */
  async findByUrl(communityId: string, baseUrl: string): Promise<ConformanceEndpointRecord | null> {
    const r = await this.s.prisma.conformanceEndpoint.findUnique({ where: { communityId_baseUrl: { communityId, baseUrl } } });
    return r ? toEndpoint(r) : null;
  }

  /** Locks an endpoint's row for the rest of the transaction and returns its state (one statement). */
  async lock(id: string): Promise<ConformanceEndpointRecord | null> {
    const rows = await this.s.sql.query<{
      id: string; community_id: string; organization_id: string; base_url: string; status: string; status_since: Date | null; last_checked_at: Date | null;
      last_passing_at: Date | null; last_check_id: string | null; consecutive_failures: number; next_due_at: Date; certificates_gone_at: Date | null;
      retired_at: Date | null; created_at: Date;
    }>(
      `SELECT id::text, community_id::text, organization_id::text, base_url, status, status_since, last_checked_at, last_passing_at, last_check_id::text,
              consecutive_failures, next_due_at, certificates_gone_at, retired_at, created_at
         FROM conformance_endpoint WHERE id = $1::uuid FOR UPDATE`,
      [id],
    );
    const r = rows[0];
    return r ? {
      id: r.id, communityId: r.community_id, organizationId: r.organization_id, baseUrl: r.base_url, status: r.status as ConformanceEndpointRecord['status'],
      statusSince: r.status_since, lastCheckedAt: r.last_checked_at, lastPassingAt: r.last_passing_at, lastCheckId: r.last_check_id,
      consecutiveFailures: Number(r.consecutive_failures), nextDueAt: r.next_due_at, certificatesGoneAt: r.certificates_gone_at, retiredAt: r.retired_at, createdAt: r.created_at,
    } : null;
  }

  /** Appends a check to the history. */
  async recordCheck(c: NewConformanceCheck): Promise<void> {
    await this.s.prisma.conformanceCheck.create({
      data: {
        id: c.id, endpointId: c.endpointId, checkedAt: c.checkedAt, status: c.status, trigger: c.trigger, requestedBy: c.requestedBy,
        findings: c.findings as unknown as P.Prisma.InputJsonValue, signerSerial: c.signerSerial, signerCertificateId: c.signerCertificateId,
        durationMs: c.durationMs, httpStatus: c.httpStatus,
      },
    });
  }

  /** Sets an endpoint's state after a check. */
  async setState(id: string, st: ConformanceState): Promise<ConformanceEndpointRecord> {
    return toEndpoint(await this.s.prisma.conformanceEndpoint.update({ where: { id }, data: st }));
  }

  /** Records the alert of a transition (once per check: a unique key). */
  async createAlert(a: Pick<ConformanceAlertRecord, 'id' | 'endpointId' | 'checkId' | 'organizationId' | 'communityId' | 'baseUrl' | 'codes' | 'lastPassingAt' | 'createdAt'>): Promise<ConformanceAlertRecord> {
    return toAlert(await this.s.prisma.conformanceAlert.create({ data: a }));
  }

  /** Endpoints, failing first then by base URL unless ordered otherwise. */
  async list(f: ConformanceEndpointFilter, skip = 0, take = 100, order?: ListOrder): Promise<Page<ConformanceEndpointRecord>> {
    const where = {
      ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}),
      ...(f.communityId ? { communityId: f.communityId } : {}),
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.includeRetired ? {} : { retiredAt: null }),
    };
    const orderBy = order
      ? [{ [order.field]: order.direction }, { id: 'asc' as const }]
      : [{ status: 'asc' as const }, { baseUrl: 'asc' as const }, { id: 'asc' as const }];
    const [rows, total] = await Promise.all([
      this.s.prisma.conformanceEndpoint.findMany({ where, orderBy, skip, take }),
      this.s.prisma.conformanceEndpoint.count({ where }),
    ]);
    return { items: rows.map(toEndpoint), total };
  }

  /** A check. */
  async findCheck(id: string): Promise<ConformanceCheckRecord | null> {
    const r = await this.s.prisma.conformanceCheck.findUnique({ where: { id } });
    return r ? toCheck(r) : null;
  }

  /** The checks of an endpoint, newest first. */
  async checks(endpointId: string, skip = 0, take = 100): Promise<Page<ConformanceCheckRecord>> {
    const [rows, total] = await Promise.all([
      this.s.prisma.conformanceCheck.findMany({ where: { endpointId }, orderBy: [{ checkedAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.s.prisma.conformanceCheck.count({ where: { endpointId } }),
    ]);
    return { items: rows.map(toCheck), total };
  }

  /** The newest `n` checks of each endpoint, newest first. */
  async recentChecks(endpointIds: string[], n: number): Promise<Map<string, ConformanceCheckRecord[]>> {
    const out = new Map<string, ConformanceCheckRecord[]>(endpointIds.map((id) => [id, []]));
    if (endpointIds.length === 0) return out;
    const ids = await this.s.sql.query<{ id: string }>(
      `SELECT c.id::text AS id FROM unnest($1::uuid[]) AS e(id)
         CROSS JOIN LATERAL (SELECT id FROM conformance_check WHERE endpoint_id = e.id ORDER BY checked_at DESC LIMIT $2) c`,
      [endpointIds, n],
    );
    const rows = await this.s.prisma.conformanceCheck.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: [{ checkedAt: 'desc' }, { id: 'asc' }] });
    for (const r of rows) out.get(r.endpointId)?.push(toCheck(r));
    return out;
  }

  /** One alert. */
  async findAlert(id: string): Promise<ConformanceAlertRecord | null> {
    const r = await this.s.prisma.conformanceAlert.findUnique({ where: { id } });
    return r ? toAlert(r) : null;
  }

  /** Alerts, newest first (an organization's, a community's, or an endpoint's). */
  async listAlerts(f: { organizationId?: string; communityIds?: string[]; endpointId?: string }, skip = 0, take = 100, order?: ListOrder): Promise<Page<ConformanceAlertRecord>> {
    const where = {
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}),
      ...(f.endpointId ? { endpointId: f.endpointId } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.conformanceAlert.findMany({ where, orderBy: order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : [{ createdAt: 'desc' as const }, { id: 'asc' as const }], skip, take }),
      this.s.prisma.conformanceAlert.count({ where }),
    ]);
    return { items: rows.map(toAlert), total };
  }

  /** Records that the alert's e-mail was handed to the mail server. */
  async markAlertEmailSent(id: string, to: string[], at: Date): Promise<void> {
    await this.s.prisma.conformanceAlert.updateMany({ where: { id, emailSentAt: null }, data: { emailTo: to, emailSentAt: at } });
  }

  /** Records a webhook attempt of an alert: delivered (2xx) or the error code. */
  async recordAlertWebhook(id: string, url: string, outcome: { deliveredAt: Date } | { error: string }): Promise<void> {
    await this.s.prisma.conformanceAlert.update({
      where: { id },
      data: 'deliveredAt' in outcome
        ? { webhookUrl: url, webhookDeliveredAt: outcome.deliveredAt, webhookAttempts: { increment: 1 }, lastError: null }
        : { webhookUrl: url, webhookAttempts: { increment: 1 }, lastError: outcome.error.slice(0, 2000) },
    });
  }

  /** Records why an alert's delivery failed. */
  async recordAlertError(id: string, error: string): Promise<void> {
    await this.s.prisma.conformanceAlert.update({ where: { id }, data: { lastError: error.slice(0, 2000) } });
  }

  /**
   * Retention: deletes up to `limit` checks older than `before`, never an endpoint's newest check nor
   * one an alert names. Returns how many went (a scan calls it until fewer than `limit` go).
   */
  async prune(before: Date, limit: number): Promise<number> {
    return this.s.sql.execute(
      `DELETE FROM conformance_check WHERE id IN (
         SELECT c.id FROM conformance_check c
          WHERE c.checked_at < $1
            AND NOT EXISTS (SELECT 1 FROM conformance_endpoint e WHERE e.last_check_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM conformance_alert a WHERE a.check_id = c.id)
          LIMIT $2)`,
      [before, limit],
    );
  }

  /** How many monitored endpoints have each status (per community in `communityIds`, or all). */
  async statusCounts(f: { communityIds?: string[]; organizationId?: string }): Promise<Record<'passing' | 'failing' | 'unknown', number>> {
    const rows = await this.s.prisma.conformanceEndpoint.groupBy({
      by: ['status'], _count: { _all: true },
      where: { retiredAt: null, ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}), ...(f.organizationId ? { organizationId: f.organizationId } : {}) },
    });
    const out = { passing: 0, failing: 0, unknown: 0 };
    for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = r._count._all;
    return out;
  }
}
