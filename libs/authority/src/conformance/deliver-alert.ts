// Delivering one conformance alert (the conformance-alert job): the expiry notices' machinery for a
// passing -> failing transition. The e-mail goes once to the organization's enabled member admins and,
// as a message of its own, to the community's operators; its sending is recorded, so a retry for the
// webhook does not send it again (a crash between the mail server's acceptance and that record can
// repeat it; the Message-IDs are the alert's, so mail clients show one). Then the organization's signed
// webhook (event `endpoint.conformance-failing`, X-Anchorage-Delivery: the alert id), retried with the
// job's backoff until it answers 2xx; a failure is recorded on the alert as a fixed code.
import { MailError } from '@anchorage/mail';
import type { AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { webhookOf } from '../notices/webhooks';
import { webhookSignature } from '../notices/webhook-sender';
import { OutboundError } from '../outbound-http';
import { CONFORMANCE_FINDINGS, OUTBOUND_FAILURES } from '@anchorage/contracts';

/** What a delivery did. */
export interface AlertDelivery {
  email: 'sent' | 'already-sent' | 'no-recipients';
  webhook: 'delivered' | 'already-delivered' | 'none';
}

/** The webhook event of a failing endpoint. */
export const CONFORMANCE_FAILING_EVENT = 'endpoint.conformance-failing';

const explain = (code: string): string =>
  (CONFORMANCE_FINDINGS as Record<string, string>)[code] ?? (OUTBOUND_FAILURES as Record<string, string>)[code] ?? `UDAP verifier finding ${code}`;

/** Delivers the alert's e-mail and webhook (see the file comment); throws to be retried. */
export async function deliverConformanceAlert(deps: AuthorityDeps, alertId: string): Promise<AlertDelivery> {
  const a = await deps.db.conformance.findAlert(alertId);
  if (!a) throw notFound('conformance alert', alertId);
  const org = (await deps.db.organizations.find(a.organizationId))!;
  const check = await deps.db.conformance.findCheck(a.checkId);
  const members = await deps.db.notices.memberAdminEmails(org.id);
  const operators = (await deps.db.notices.operatorEmails(a.communityId)).filter((e) => !members.includes(e));
  const link = `${deps.consoleUrl}/#/organizations/${org.id}/show/conformance`;
  const subject = `UDAP endpoint ${a.baseUrl} of ${org.name} is failing`;
  const text = [
    `The UDAP metadata of ${a.baseUrl} (${org.name}) no longer passes the community's conformance check.`,
    a.lastPassingAt ? `It last passed at ${a.lastPassingAt.toISOString()}; it failed at ${check?.checkedAt.toISOString() ?? a.createdAt.toISOString()}.` : '',
    '',
    'What the check found:',
    ...(check?.findings.filter((f) => f.severity === 'error') ?? []).slice(0, 20).map((f) => `  - ${f.code} (${f.section}): ${f.message}`),
    ...(check ? [] : a.codes.map((c) => `  - ${c}: ${explain(c)}`)),
    '',
    `Conformance page: ${link}`,
    `(alert ${a.id})`,
  ].join('\n');

  let email: AlertDelivery['email'] = 'already-sent';
  if (!a.emailSentAt) {
    const recipients = [...members, ...operators];
    if (recipients.length === 0) {
      email = 'no-recipients';
      await deps.db.conformance.recordAlertError(a.id, 'no enabled recipient to e-mail');
    } else {
      try {
        if (members.length) await deps.mailer.send({ to: members.join(', '), subject, text, messageId: `<conformance-${a.id}@anchorage.invalid>` });
        if (operators.length) {
          await deps.mailer.send({ to: operators.join(', '), subject: `[operators] ${subject}`, text, messageId: `<conformance-${a.id}-operators@anchorage.invalid>` });
        }
      } catch (err) {
        const message = err instanceof MailError ? err.message : String(err);
        await deps.db.conformance.recordAlertError(a.id, message);
        throw new DomainError('mail-failed', message);
      }
      await deps.db.conformance.markAlertEmailSent(a.id, recipients, deps.clock.now());
      email = 'sent';
    }
  }

  let webhook: AlertDelivery['webhook'] = 'none';
  const hook = await webhookOf(deps, org.id);
  if (hook) {
    if (a.webhookDeliveredAt) webhook = 'already-delivered';
    else {
      const body = JSON.stringify({
        type: CONFORMANCE_FAILING_EVENT, alertId: a.id, endpointId: a.endpointId, baseUrl: a.baseUrl, organizationId: a.organizationId, communityId: a.communityId,
        codes: a.codes, failedAt: (check?.checkedAt ?? a.createdAt).toISOString(), lastPassingAt: a.lastPassingAt?.toISOString() ?? null,
      });
      const t = Math.floor(deps.clock.now().getTime() / 1000);
      let status = 0;
      try {
        status = await deps.webhookSender.post(hook.url, body, {
          'x-anchorage-signature': webhookSignature(hook.secret, t, body), 'x-anchorage-delivery': a.id, 'x-anchorage-event': CONFORMANCE_FAILING_EVENT,
        });
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        await deps.db.conformance.recordAlertWebhook(a.id, hook.url, { error: err.code });
        throw new DomainError('webhook-failed', `webhook ${hook.url} failed (${err.code}); retried with backoff`);
      }
      if (status < 200 || status > 299) {
        const failed = deps.outbound.fail('http-status', `POST ${hook.url} answered HTTP ${status}`);
        await deps.db.conformance.recordAlertWebhook(a.id, hook.url, { error: failed.code });
        throw new DomainError('webhook-failed', `webhook ${hook.url} answered HTTP ${status}; retried with backoff`);
      }
      await deps.db.conformance.recordAlertWebhook(a.id, hook.url, { deliveredAt: deps.clock.now() });
      webhook = 'delivered';
    }
  }
  return { email, webhook };
}
