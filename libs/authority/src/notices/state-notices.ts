// Notices of the state changes people wait for. The use case that makes the change records the notice
// and its delivery job (outbox) in the change's own transaction (`recordStateNotice`), so a change that
// rolls back tells nobody and one that commits is told once. The worker delivers it (the
// state-notice-deliver job): the e-mail once, to the organization's member admins or the community's
// operators, then, for the member, the organization's signed webhook (event type = the change, e.g.
// `certificate-request.issued`) until it answers 2xx. How both are sent and recorded: delivery.ts.
//
// What is told, and to whom:
//   operators  certificate-request.submitted, organization.submitted (a review waits); not sent when
//              the request or organization is no longer waiting when the job runs (auto-approved)
//   member     certificate-request.issued (approved and issued: one message, with the certificate),
//              certificate-request.rejected, organization.approved, .rejected, .suspended, .reinstated
import { randomUUID } from 'node:crypto';
import type { Database, StateNoticeInput, StateNoticeRecord } from '@anchorage/db';
import { outboxEntry, STATE_NOTICE_DELIVER } from '@anchorage/jobs';
import type { AuthorityDeps } from '../deps';
import { notFound } from '../errors';
import { postWebhookOnce, sendMailOnce, type Delivery } from './delivery';
import { webhookOf } from './webhooks';

/** The changes that are told, and to whom. */
export const STATE_NOTICE_AUDIENCE: Readonly<Record<string, StateNoticeInput['audience']>> = {
  'certificate-request.submitted': 'operators',
  'certificate-request.issued': 'member',
  'certificate-request.rejected': 'member',
  'organization.submitted': 'operators',
  'organization.approved': 'member',
  'organization.rejected': 'member',
  'organization.suspended': 'member',
  'organization.reinstated': 'member',
};

/**
 * Records the notice of `event` (if it is one that is told) and its delivery job, in the transaction
 * `tx` of the change itself.
 */
export async function recordStateNotice(
  tx: Pick<Database, 'stateNotices' | 'outbox'>, event: string,
  n: { subjectType: StateNoticeInput['subjectType']; subjectId: string; organizationId: string; communityId: string; data?: Record<string, unknown> },
): Promise<StateNoticeRecord | null> {
  const audience = STATE_NOTICE_AUDIENCE[event];
  if (!audience) return null;
  const notice = await tx.stateNotices.record({ id: randomUUID(), event, audience, ...n, data: n.data ?? {} });
  await tx.outbox.enqueue(outboxEntry(STATE_NOTICE_DELIVER, { noticeId: notice.id, organizationId: notice.organizationId }));
  return notice;
}

/** What a delivery did: as for every delivery, or skipped when the review it asked for is done already. */
export type StateNoticeDelivery = Delivery | { skipped: string };

interface Message {
  subject: string;
  text: string[];
  /** Why an operators' notice need not go out any more (the subject no longer waits), or null. */
  moot: string | null;
}

async function compose(deps: AuthorityDeps, n: StateNoticeRecord): Promise<Message> {
  const org = await deps.db.organizations.find(n.organizationId);
  if (!org) throw notFound('organization', n.organizationId);
  const console = deps.consoleUrl;
  const reason = typeof n.data.reason === 'string' ? n.data.reason : null;
  if (n.subjectType === 'certificate-request') {
    const r = await deps.db.requests.find(n.subjectId);
    if (!r) throw notFound('certificate request', n.subjectId);
    const what = `${r.profile} certificate for ${r.sanUris.join(', ')}`;
    switch (n.event) {
      case 'certificate-request.submitted':
        return {
          subject: `${org.name} requests a ${what}`, moot: r.status === 'submitted' ? null : `the request is ${r.status} already`,
          text: [`${org.name} submitted a certificate request that waits for an operator's decision.`, '', `  Profile:  ${r.profile}`, `  SAN URIs: ${r.sanUris.join(', ')}`, `  Key:      ${r.keyType}`, '', `Review it: ${console}/#/certificate-requests/${r.id}/show`],
        };
      case 'certificate-request.issued': {
        const certificateId = typeof n.data.certificateId === 'string' ? n.data.certificateId : r.certificateId;
        return {
          subject: `Your request was approved: ${what} issued`, moot: null,
          text: [`The certificate request of ${org.name} was approved and its certificate issued.`, '', `  Profile:  ${r.profile}`, `  SAN URIs: ${r.sanUris.join(', ')}`, '', `Download it: ${console}/#/certificates/${certificateId}/show`],
        };
      }
      case 'certificate-request.rejected':
        return {
          subject: `Your request for a ${what} was rejected`, moot: null,
          text: [`The certificate request of ${org.name} was rejected.`, '', `  Reason:   ${reason ?? '(none given)'}`, `  SAN URIs: ${r.sanUris.join(', ')}`, '', `See it: ${console}/#/certificate-requests/${r.id}/show`],
        };
    }
  }
  const link = `${console}/#/organizations/${org.id}/show`;
  switch (n.event) {
    case 'organization.submitted':
      return {
        subject: `${org.name} submitted its profile for review`, moot: org.status === 'submitted' ? null : `the organization is ${org.status} already`,
        text: [`${org.name} submitted its organization profile (revision ${org.profileRevision}); it waits for an operator's review.`, '', `Review it: ${link}`],
      };
    case 'organization.approved':
      return {
        subject: `${org.name} is approved`, moot: null,
        text: [`${org.name} was approved as a member of the community. These SAN URIs are now bound to it:`, ...org.sanUris.map((u) => `  ${u}`), '', `Request certificates: ${link}`],
      };
    case 'organization.rejected':
      return { subject: `${org.name} was not approved`, moot: null, text: [`The profile of ${org.name} was not approved.`, '', `  Reason: ${reason ?? '(none given)'}`, '', `Correct it and submit again: ${link}`] };
    case 'organization.suspended':
      return {
        subject: `${org.name} is suspended`, moot: null,
        text: [
          `${org.name} was suspended: no certificate is issued to it until it is reinstated.`, '', `  Reason: ${reason ?? '(none given)'}`,
          n.data.revocationReason ? `  Its live certificates are being revoked (${String(n.data.revocationReason)}).` : '  Its certificates stay valid.', '', link,
        ],
      };
    case 'organization.reinstated':
      return { subject: `${org.name} is reinstated`, moot: null, text: [`${org.name} was reinstated: it may request certificates again.`, '', link] };
  }
  throw new Error(`state notice ${n.id}: no message for ${n.event}`);
}

/** Delivers a state notice (see the file comment); throws to be retried. */
export async function deliverStateNotice(deps: AuthorityDeps, noticeId: string): Promise<StateNoticeDelivery> {
  const n = await deps.db.stateNotices.find(noticeId);
  if (!n) throw notFound('state notice', noticeId);
  const m = await compose(deps, n);
  if (m.moot && !n.emailSentAt) {
    await deps.db.stateNotices.recordError(n.id, `not sent: ${m.moot}`);
    return { skipped: m.moot };
  }
  const recipients = n.audience === 'member' ? await deps.db.notices.memberAdminEmails(n.organizationId) : await deps.db.notices.operatorEmails(n.communityId);
  const email = await sendMailOnce(deps, deps.db.stateNotices, n.id, n.emailSentAt, [
    { to: recipients, subject: m.subject, text: [...m.text, '', `(notice ${n.id})`].join('\n'), messageId: `<state-${n.id}@anchorage.invalid>` },
  ]);
  const hook = n.audience === 'member' ? await webhookOf(deps, n.organizationId) : null;
  const body = { type: n.event, noticeId: n.id, at: n.createdAt.toISOString(), organizationId: n.organizationId, subject: { type: n.subjectType, id: n.subjectId }, ...n.data };
  const webhook: Delivery['webhook'] = hook
    ? await postWebhookOnce(deps, deps.db.stateNotices, n.webhookDeliveredAt, hook, { type: n.event, deliveryId: n.id, body: JSON.stringify(body) })
    : 'none';
  return { email, webhook };
}
