// Delivering one conformance alert (the conformance-alert job), as expiry notices are delivered
// (notices/delivery.ts): the e-mail once to the organization's enabled member admins and, as a message
// of its own, to the community's operators; then the organization's signed webhook (event
// `endpoint.conformance-failing`, X-Anchorage-Delivery: the alert id), retried with the job's backoff
// until it answers 2xx.
import { CONFORMANCE_FINDINGS, OUTBOUND_FAILURES } from '@anchorage/contracts';
import type { AuthorityDeps } from '../deps';
import { notFound } from '../errors';
import { postWebhookOnce, sendMailOnce, type Delivery } from '../notices/delivery';
import { webhookOf } from '../notices/webhooks';

/** What a delivery did. */
export type AlertDelivery = Delivery;

/** The webhook event of a failing endpoint. */
export const CONFORMANCE_FAILING_EVENT = 'endpoint.conformance-failing';

const explain = (code: string): string =>
  (CONFORMANCE_FINDINGS as Record<string, string>)[code] ?? (OUTBOUND_FAILURES as Record<string, string>)[code] ?? `UDAP verifier finding ${code}`;

/** Delivers the alert's e-mail and webhook (see the file comment); throws to be retried. */
export async function deliverConformanceAlert(deps: AuthorityDeps, alertId: string): Promise<AlertDelivery> {
  const store = deps.db.conformance;
  const a = await store.findAlert(alertId);
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

  const ledger = { markEmailSent: store.markAlertEmailSent.bind(store), recordWebhook: store.recordAlertWebhook.bind(store), recordError: store.recordAlertError.bind(store) };
  const email = await sendMailOnce(deps, ledger, a.id, a.emailSentAt, [
    { to: members, subject, text, messageId: `<conformance-${a.id}@anchorage.invalid>` },
    { to: operators, subject: `[operators] ${subject}`, text, messageId: `<conformance-${a.id}-operators@anchorage.invalid>` },
  ]);
  const hook = await webhookOf(deps, org.id);
  const webhook: AlertDelivery['webhook'] = hook
    ? await postWebhookOnce(deps, ledger, a.webhookDeliveredAt, hook, {
      type: CONFORMANCE_FAILING_EVENT, deliveryId: a.id,
      body: JSON.stringify({
        type: CONFORMANCE_FAILING_EVENT, alertId: a.id, endpointId: a.endpointId, baseUrl: a.baseUrl, organizationId: a.organizationId, communityId: a.communityId,
        codes: a.codes, failedAt: (check?.checkedAt ?? a.createdAt).toISOString(), lastPassingAt: a.lastPassingAt?.toISOString() ?? null,
      }),
    })
    : 'none';
  return { email, webhook };
}
