// Delivering one expiry notice (the notice-deliver job): its e-mail once, then the organization's
// signed webhook (event `certificate.expiring`), retried with the job's backoff until the member's
// server answers 2xx; its X-Anchorage-Delivery header (the notice id) lets the receiver drop a repeat.
// How both are sent and recorded: delivery.ts.
import type { AuthorityDeps } from '../deps';
import { notFound } from '../errors';
import { postWebhookOnce, sendMailOnce, type Delivery } from './delivery';
import { webhookOf } from './webhooks';

/** What a delivery did. */
export type NoticeDelivery = Delivery;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Delivers the notice's e-mail and webhook (see the file comment); throws to be retried. */
export async function deliverNotice(deps: AuthorityDeps, noticeId: string): Promise<NoticeDelivery> {
  const n = await deps.db.notices.find(noticeId);
  if (!n) throw notFound('expiry notice', noticeId);
  const daysLeft = Math.max(0, Math.ceil((n.notAfter.getTime() - deps.clock.now().getTime()) / 86_400_000));
  let subject: string;
  let text: string;
  let recipients: string[];
  let event: Record<string, unknown> | null = null;
  if (n.subjectType === 'certificate') {
    const c = (await deps.db.certificates.find(n.certificateId!))!;
    const org = (await deps.db.organizations.find(n.organizationId!))!;
    const serial = Buffer.from(c.serial).toString('hex');
    recipients = await deps.db.notices.memberAdminEmails(org.id);
    subject = `Certificate for ${c.sanUris.join(', ')} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${day(n.notAfter)})`;
    text = [
      `The ${c.profile} certificate of ${org.name} expires on ${n.notAfter.toISOString()}.`,
      '',
      `  SAN URIs: ${c.sanUris.join(', ')}`,
      `  Serial:   ${serial}`,
      '',
      `Request a renewal before then: ${deps.consoleUrl}/#/certificates/${c.id}/show`,
      `(notice ${n.id}, sent at the ${n.thresholdDays}-day threshold)`,
    ].join('\n');
    event = {
      type: 'certificate.expiring', noticeId: n.id, thresholdDays: n.thresholdDays, notAfter: n.notAfter.toISOString(),
      certificate: { id: c.id, serial, sanUris: c.sanUris, profile: c.profile, issuerId: c.issuerId }, organizationId: org.id,
    };
  } else {
    const ca = (await deps.db.cas.find(n.caId!))!;
    recipients = await deps.db.notices.operatorEmails(n.communityId);
    subject = `${ca.role === 'root' ? 'Root' : 'Issuing'} CA ${ca.subject} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${day(n.notAfter)})`;
    text = [
      `The ${ca.role} CA ${ca.subject} of community ${n.communityId} expires on ${n.notAfter.toISOString()}.`,
      ca.role === 'root'
        ? 'Every certificate of the community chains to it: plan the new trust anchor and its distribution to relying parties now.'
        : 'It cannot issue certificates that outlive it: create its successor and retire it before then.',
      '',
      `(notice ${n.id}, sent at the ${n.thresholdDays}-day threshold)`,
    ].join('\n');
  }

  const email = await sendMailOnce(deps, deps.db.notices, n.id, n.emailSentAt, [{ to: recipients, subject, text, messageId: `<expiry-${n.id}@anchorage.invalid>` }]);
  const hook = event && n.organizationId ? await webhookOf(deps, n.organizationId) : null;
  const webhook: Delivery['webhook'] = hook && event
    ? await postWebhookOnce(deps, deps.db.notices, n.webhookDeliveredAt, hook, { type: 'certificate.expiring', deliveryId: n.id, body: JSON.stringify(event) })
    : 'none';
  return { email, webhook };
}
