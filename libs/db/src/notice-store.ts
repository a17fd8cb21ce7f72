// Expiry notices and organizations' webhook settings (issue: workers). The scan's statements run in
// the caller's transaction, with the notices' delivery jobs (outbox): the partial unique keys
// (certificate, threshold) and (CA, threshold) let a notice be created once however many workers
// scan at the same moment; the losers' INSERTs do nothing.
import type { ExpiryNoticeRecord, ExpiryScanOutcome, ListOrder } from './records';
import type * as P from './generated/prisma/client';
import type { StoreScope } from './scope';

function toNotice(r: P.ExpiryNotice): ExpiryNoticeRecord {
  return {
    id: r.id, subjectType: r.subjectType as ExpiryNoticeRecord['subjectType'], certificateId: r.certificateId, caId: r.caId, organizationId: r.organizationId,
    communityId: r.communityId, thresholdDays: r.thresholdDays, notAfter: r.notAfter, createdAt: r.createdAt, emailTo: r.emailTo, emailSentAt: r.emailSentAt,
    webhookUrl: r.webhookUrl, webhookDeliveredAt: r.webhookDeliveredAt, webhookAttempts: r.webhookAttempts, lastError: r.lastError,
  };
}

/** Expiry notices (see the file comment). */
export class NoticeStore {
  constructor(private readonly s: StoreScope) {}

  /**
   * Marks certificates past notAfter expired, and records a notice for every issued certificate
   * (and active CA whose key the platform holds, i.e. key_ref not starting with `externalKeyPrefix`) whose notAfter falls within a threshold, at the smallest threshold
   * that applies now; a certificate a renewal replaced (same organization, profile and SAN URIs,
   * issued and valid longer) gets none. Returns what this call created.
   */
  async scan(now: Date, thresholds: number[], caThresholds: number[], externalKeyPrefix: string): Promise<ExpiryScanOutcome> {
    const expired = await this.s.prisma.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE certificate SET expired_at = $1 WHERE status = 'issued' AND expired_at IS NULL AND not_after <= $1 RETURNING id`, now,
    );
    const notices = await this.s.prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO expiry_notice (id, subject_type, certificate_id, organization_id, community_id, threshold_days, not_after)
       SELECT gen_random_uuid(), 'certificate', c.id, c.organization_id, ca.community_id,
              (SELECT min(t) FROM unnest($2::int[]) t WHERE c.not_after <= $1::timestamptz + make_interval(days => t)), c.not_after
         FROM certificate c JOIN certificate_authority ca ON ca.id = c.issuer_id
        WHERE c.status = 'issued' AND c.expired_at IS NULL AND c.not_after > $1
          AND c.not_after <= $1::timestamptz + make_interval(days => (SELECT max(t) FROM unnest($2::int[]) t))
          AND NOT EXISTS (SELECT 1 FROM certificate n WHERE n.organization_id = c.organization_id AND n.profile = c.profile
                            AND n.san_uris = c.san_uris AND n.status = 'issued' AND n.not_after > c.not_after)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      now, thresholds,
    );
    const caNotices = caThresholds.length === 0 ? [] : await this.s.prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO expiry_notice (id, subject_type, ca_id, community_id, threshold_days, not_after)
       SELECT gen_random_uuid(), 'ca', ca.id, ca.community_id,
              (SELECT min(t) FROM unnest($2::int[]) t WHERE ca.not_after <= $1::timestamptz + make_interval(days => t)), ca.not_after
         FROM certificate_authority ca
        WHERE ca.status = 'active' AND ca.not_after > $1 AND NOT starts_with(ca.key_ref, $3)
          AND ca.not_after <= $1::timestamptz + make_interval(days => (SELECT max(t) FROM unnest($2::int[]) t))
       ON CONFLICT DO NOTHING
       RETURNING id`,
      now, caThresholds, externalKeyPrefix,
    );
    return { expired: expired.map((r) => r.id), notices: [...notices, ...caNotices].map((r) => r.id) };
  }

  /** One notice. */
  async find(id: string): Promise<ExpiryNoticeRecord | null> {
    const r = await this.s.prisma.expiryNotice.findUnique({ where: { id } });
    return r ? toNotice(r) : null;
  }

  /** Notices, newest first (an organization's, or a community's). */
  async list(f: { organizationId?: string; communityIds?: string[]; subjectType?: string }, skip = 0, take = 100, order?: ListOrder): Promise<{ items: ExpiryNoticeRecord[]; total: number }> {
    const where = {
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}),
      ...(f.subjectType ? { subjectType: f.subjectType } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.expiryNotice.findMany({ where, orderBy: order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }, skip, take }),
      this.s.prisma.expiryNotice.count({ where }),
    ]);
    return { items: rows.map(toNotice), total };
  }

  /** E-mail addresses of the enabled member admins of an organization. */
  async memberAdminEmails(organizationId: string): Promise<string[]> {
    const rows = await this.s.prisma.user.findMany({ where: { organizationId, role: 'member-admin', disabledAt: null }, select: { email: true }, orderBy: { email: 'asc' } });
    return rows.map((r) => r.email);
  }

  /** E-mail addresses of the enabled operators who run a community. */
  async operatorEmails(communityId: string): Promise<string[]> {
    const rows = await this.s.prisma.user.findMany({
      where: { role: 'operator', disabledAt: null, OR: [{ allCommunities: true }, { communities: { some: { communityId } } }] },
      select: { email: true }, orderBy: { email: 'asc' },
    });
    return rows.map((r) => r.email);
  }

  /** Records that the notice's e-mail was handed to the mail server. */
  async markEmailSent(id: string, to: string[], at: Date): Promise<void> {
    await this.s.prisma.expiryNotice.updateMany({ where: { id, emailSentAt: null }, data: { emailTo: to, emailSentAt: at } });
  }

  /** Records a webhook attempt: delivered (2xx) or the error. */
  async recordWebhook(id: string, url: string, outcome: { deliveredAt: Date } | { error: string }): Promise<void> {
    await this.s.prisma.expiryNotice.update({
      where: { id },
      data: 'deliveredAt' in outcome
        ? { webhookUrl: url, webhookDeliveredAt: outcome.deliveredAt, webhookAttempts: { increment: 1 }, lastError: null }
        : { webhookUrl: url, webhookAttempts: { increment: 1 }, lastError: outcome.error.slice(0, 2000) },
    });
  }

  /** Records why a delivery failed (e-mail refused, say). */
  async recordError(id: string, error: string): Promise<void> {
    await this.s.prisma.expiryNotice.update({ where: { id }, data: { lastError: error.slice(0, 2000) } });
  }

  /** The organization's webhook: its URL and the sealed HMAC secret. */
  async webhookOf(organizationId: string): Promise<{ url: string; secretSealed: string } | null> {
    const r = await this.s.prisma.organization.findUnique({ where: { id: organizationId }, select: { webhookUrl: true, webhookSecretSealed: true } });
    return r?.webhookUrl && r.webhookSecretSealed ? { url: r.webhookUrl, secretSealed: r.webhookSecretSealed } : null;
  }

  /** Sets (or with nulls, removes) an organization's webhook. */
  async setWebhook(organizationId: string, url: string | null, secretSealed: string | null): Promise<void> {
    await this.s.prisma.organization.update({ where: { id: organizationId }, data: { webhookUrl: url, webhookSecretSealed: secretSealed } });
  }
}
