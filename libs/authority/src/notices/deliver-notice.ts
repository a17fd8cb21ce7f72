// Delivering one expiry notice (the notice-deliver job). The e-mail is sent once: its sending is
// recorded, so a retry for the webhook does not send it again (a crash between the mail server's
// acceptance and that record can repeat it; the Message-ID is the notice's, so mail clients show
// one). The webhook is retried, with the job's backoff, until the member's server answers 2xx; its
// X-Anchorage-Delivery header (the notice id) lets the receiver drop a repeat. A webhook failure is
// recorded on the notice, which members see, as a fixed code (OUTBOUND_FAILURES in
// @anchorage/contracts); its detail goes to the server log through the outbound guard.
import { MailError } from '@anchorage/mail';
import type { AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { OutboundError } from '../outbound-http';
import { webhookOf } from './webhooks';
import { webhookSignature } from './webhook-sender';

/** What a delivery did. */
export interface NoticeDelivery {
  email: 'sent' | 'already-sent' | 'no-recipients';
  webhook: 'delivered' | 'already-delivered' | 'none';
}

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

  let email: NoticeDelivery['email'] = 'already-sent';
  if (!n.emailSentAt) {
    if (recipients.length === 0) {
      email = 'no-recipients';
      await deps.db.notices.recordError(n.id, 'no enabled recipient to e-mail');
    } else {
      try {
        await deps.mailer.send({ to: recipients.join(', '), subject, text, messageId: `<expiry-${n.id}@anchorage.invalid>` });
      } catch (err) {
        const message = err instanceof MailError ? err.message : String(err);
        await deps.db.notices.recordError(n.id, message);
        throw new DomainError('mail-failed', message);
      }
      await deps.db.notices.markEmailSent(n.id, recipients, deps.clock.now());
      email = 'sent';
    }
  }

  let webhook: NoticeDelivery['webhook'] = 'none';
  const hook = event && n.organizationId ? await webhookOf(deps, n.organizationId) : null;
  if (hook && event) {
    if (n.webhookDeliveredAt) webhook = 'already-delivered';
    else {
      const body = JSON.stringify(event);
      const t = Math.floor(deps.clock.now().getTime() / 1000);
      let status = 0;
      try {
        status = await deps.webhookSender.post(hook.url, body, {
          'x-anchorage-signature': webhookSignature(hook.secret, t, body), 'x-anchorage-delivery': n.id, 'x-anchorage-event': 'certificate.expiring',
        });
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        await deps.db.notices.recordWebhook(n.id, hook.url, { error: err.code });
        throw new DomainError('webhook-failed', `webhook ${hook.url} failed (${err.code}); retried with backoff`);
      }
      if (status < 200 || status > 299) {
        const failed = deps.outbound.fail('http-status', `POST ${hook.url} answered HTTP ${status}`);
        await deps.db.notices.recordWebhook(n.id, hook.url, { error: failed.code });
        throw new DomainError('webhook-failed', `webhook ${hook.url} answered HTTP ${status}; retried with backoff`);
      }
      await deps.db.notices.recordWebhook(n.id, hook.url, { deliveredAt: deps.clock.now() });
      webhook = 'delivered';
    }
  }
  return { email, webhook };
}
