// What every delivery to people and their servers shares (expiry notices, conformance alerts,
// relying parties' revocation notices). E-mail is sent once: its sending is recorded, so a retry for
// the webhook does not send it again (a crash between the mail server's acceptance and that record can
// repeat it; the Message-ID is the delivery's, so mail clients show one). A webhook is a signed POST
// through the outbound guard (webhook-sender.ts); a failure is a fixed code (OUTBOUND_FAILURES in
// @anchorage/contracts), its detail in the server log, and the job retries it with its backoff.
import type { OutboundFailure } from '@anchorage/contracts';
import { MailError } from '@anchorage/mail';
import type { AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { OutboundError } from '../outbound-http';
import { webhookSignature } from './webhook-sender';

/** What a delivery of e-mail and webhook did. */
export interface Delivery {
  email: 'sent' | 'already-sent' | 'no-recipients';
  webhook: 'delivered' | 'already-delivered' | 'none';
}

/** Where a delivery's progress is recorded: the row of the notice or alert, by its id. */
export interface DeliveryLedger {
  markEmailSent(id: string, to: string[], at: Date): Promise<void>;
  recordWebhook(id: string, url: string, outcome: { deliveredAt: Date } | { error: string }): Promise<void>;
  recordError(id: string, error: string): Promise<void>;
}

/** One e-mail of a delivery. */
export interface DeliveryMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

/**
 * Sends the delivery's e-mails unless `sentAt` says they went already; records the sending (every
 * recipient) or the failure. Throws DomainError 'mail-failed' to be retried.
 */
export async function sendMailOnce(
  deps: Pick<AuthorityDeps, 'mailer' | 'clock'>, ledger: DeliveryLedger, id: string, sentAt: Date | null, mails: DeliveryMail[],
): Promise<Delivery['email']> {
  if (sentAt) return 'already-sent';
  const addressed = mails.filter((m) => m.to.length > 0);
  if (addressed.length === 0) {
    await ledger.recordError(id, 'no enabled recipient to e-mail');
    return 'no-recipients';
  }
  try {
    for (const m of addressed) await deps.mailer.send({ to: m.to.join(', '), subject: m.subject, text: m.text, messageId: m.messageId });
  } catch (err) {
    const message = err instanceof MailError ? err.message : String(err);
    await ledger.recordError(id, message);
    throw new DomainError('mail-failed', message);
  }
  await ledger.markEmailSent(id, addressed.flatMap((m) => m.to), deps.clock.now());
  return 'sent';
}

/** One signed webhook event: its type (`X-Anchorage-Event`), the delivery id (`X-Anchorage-Delivery`) and the exact body. */
export interface SignedEvent {
  type: string;
  deliveryId: string;
  body: string;
}

/** Why a signed POST failed: the fixed code, and how to say it (the HTTP status, when one came). */
export interface PostFailure {
  code: OutboundFailure;
  what: string;
}

/**
 * POSTs `event` to `url`, signed with `secret`: null when the receiver answered 2xx, else the failure
 * (nothing answered, or a status outside 2xx; the detail went to the server log).
 */
export async function postSignedEvent(
  deps: Pick<AuthorityDeps, 'webhookSender' | 'outbound' | 'clock'>, url: string, secret: string, event: SignedEvent,
): Promise<PostFailure | null> {
  const t = Math.floor(deps.clock.now().getTime() / 1000);
  let status: number;
  try {
    status = await deps.webhookSender.post(url, event.body, {
      'x-anchorage-signature': webhookSignature(secret, t, event.body), 'x-anchorage-delivery': event.deliveryId, 'x-anchorage-event': event.type,
    });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    return { code: err.code, what: `failed (${err.code})` };
  }
  if (status >= 200 && status <= 299) return null;
  return { code: deps.outbound.fail('http-status', `POST ${url} answered HTTP ${status}`).code, what: `answered HTTP ${status}` };
}

/**
 * Posts the delivery's webhook unless `deliveredAt` says it went already; records the outcome. Throws
 * DomainError 'webhook-failed' to be retried.
 */
export async function postWebhookOnce(
  deps: Pick<AuthorityDeps, 'webhookSender' | 'outbound' | 'clock'>, ledger: DeliveryLedger, deliveredAt: Date | null,
  hook: { url: string; secret: string }, event: SignedEvent,
): Promise<'delivered' | 'already-delivered'> {
  if (deliveredAt) return 'already-delivered';
  const failure = await postSignedEvent(deps, hook.url, hook.secret, event);
  if (failure) {
    await ledger.recordWebhook(event.deliveryId, hook.url, { error: failure.code });
    throw new DomainError('webhook-failed', `webhook ${hook.url} ${failure.what}; retried with backoff`);
  }
  await ledger.recordWebhook(event.deliveryId, hook.url, { deliveredAt: deps.clock.now() });
  return 'delivered';
}
