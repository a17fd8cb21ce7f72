// Notices of state changes people wait for (state_notice): recorded in the transaction of the change,
// delivered once by the worker (authority notices/deliver-state-notice.ts), which records its progress
// here like an expiry notice's (the DeliveryLedger methods).
import type * as P from './generated/prisma/client';
import type { StateNoticeInput, StateNoticeRecord } from './records';
import type { StoreScope } from './scope';

function toStateNotice(r: P.StateNotice): StateNoticeRecord {
  return {
    id: r.id, event: r.event, audience: r.audience as StateNoticeRecord['audience'], subjectType: r.subjectType as StateNoticeRecord['subjectType'],
    subjectId: r.subjectId, organizationId: r.organizationId, communityId: r.communityId, data: (r.data ?? {}) as Record<string, unknown>, createdAt: r.createdAt,
    emailTo: r.emailTo, emailSentAt: r.emailSentAt, webhookUrl: r.webhookUrl, webhookDeliveredAt: r.webhookDeliveredAt, webhookAttempts: r.webhookAttempts, lastError: r.lastError,
  };
}

/** State notices (see the file comment). */
export class StateNoticeStore {
  constructor(private readonly s: StoreScope) {}

  /** Records a notice (in the caller's transaction, with its delivery job). */
  async record(n: StateNoticeInput): Promise<StateNoticeRecord> {
    return toStateNotice(await this.s.prisma.stateNotice.create({
      data: { ...n, data: n.data as P.Prisma.InputJsonValue, emailTo: [] },
    }));
  }

  /** One notice. */
  async find(id: string): Promise<StateNoticeRecord | null> {
    const r = await this.s.prisma.stateNotice.findUnique({ where: { id } });
    return r ? toStateNotice(r) : null;
  }

  /** An organization's notices, newest first. */
  async ofOrganization(organizationId: string): Promise<StateNoticeRecord[]> {
    return (await this.s.prisma.stateNotice.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] })).map(toStateNotice);
  }

  /** Records that the notice's e-mail was handed to the mail server. */
  async markEmailSent(id: string, to: string[], at: Date): Promise<void> {
    await this.s.prisma.stateNotice.updateMany({ where: { id, emailSentAt: null }, data: { emailTo: to, emailSentAt: at } });
  }

  /** Records a webhook attempt: delivered (2xx) or the error. */
  async recordWebhook(id: string, url: string, outcome: { deliveredAt: Date } | { error: string }): Promise<void> {
    await this.s.prisma.stateNotice.update({
      where: { id },
      data: 'deliveredAt' in outcome
        ? { webhookUrl: url, webhookDeliveredAt: outcome.deliveredAt, webhookAttempts: { increment: 1 }, lastError: null }
        : { webhookUrl: url, webhookAttempts: { increment: 1 }, lastError: outcome.error.slice(0, 2000) },
    });
  }

  /** Records why a delivery failed or was not made. */
  async recordError(id: string, error: string): Promise<void> {
    await this.s.prisma.stateNotice.update({ where: { id }, data: { lastError: error.slice(0, 2000) } });
  }
}
