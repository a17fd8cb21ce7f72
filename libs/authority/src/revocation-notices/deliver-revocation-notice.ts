// Delivering one revocation notice to one subscription (the revocation-notice-deliver job). Posted
// through the outbound guard (outbound-http.ts: https, public addresses only, no redirects, 10 s) and
// signed like the expiry webhooks (notices/webhook-sender.ts: `X-Anchorage-Signature: t=<unix
// seconds>,v1=<HMAC-SHA256 of "<t>.<body>">`); `X-Anchorage-Delivery` and the body's `id` are the
// delivery id on every attempt, so a receiver that processed it drops a repeat (at-least-once
// delivery, exactly-once processing). A failure is recorded as a fixed OutboundFailure code on the
// delivery and its subscription, which shows as failing; PAUSE_AFTER_FAILURES consecutive failed
// attempts pause it, so a receiver gone for hours stops costing retries (an operator resumes it).
import type { AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { postSignedEvent } from '../notices/delivery';
import { CRL_PUBLISHED_EVENT, revocationNoticeBody } from './notice-payload';
import { openSubscriptionSecret } from './secrets';

/** Consecutive failed attempts (across deliveries) after which a subscription is paused as failing: two deliveries' worth of retries. */
export const PAUSE_AFTER_FAILURES = 24;

/** What one run did. */
export type RevocationNoticeOutcome = 'delivered' | 'already-delivered' | 'skipped';

/** Delivers the notice (see the file comment); throws to be retried, `final` on the last attempt ends the delivery as failed. */
export async function deliverRevocationNotice(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys' | 'webhookSender' | 'outbound' | 'urls'>, deliveryId: string, o: { final?: boolean } = {},
): Promise<RevocationNoticeOutcome> {
  const store = deps.db.revocationSubscriptions;
  const d = await store.findDelivery(deliveryId);
  if (!d) throw notFound('revocation delivery', deliveryId);
  if (d.status === 'delivered') return 'already-delivered';
  const sub = (await store.find(d.subscriptionId))!;
  if (sub.status !== 'active') {
    // paused or cancelled since the notice was recorded: the receiver catches up from the CRL
    await store.skip(d.id);
    return 'skipped';
  }
  if (d.status !== 'pending') await store.reopen(d.id); // an operator retried a failed job
  const notice = (await store.findNotice(d.noticeId))!;
  const [community, ca] = await Promise.all([deps.db.communities.find(notice.communityId), deps.db.cas.find(notice.caId)]);
  const body = JSON.stringify(revocationNoticeBody(d.id, notice, community!, ca!, deps.urls));
  const secret = openSubscriptionSecret(deps, sub.id, sub.secretSealed);
  const failure = await postSignedEvent(deps, sub.callbackUrl, secret, { type: CRL_PUBLISHED_EVENT, deliveryId: d.id, body });
  if (failure) {
    await store.recordAttempt(d.id, sub.id, { delivered: false, error: failure.code, final: o.final === true }, deps.clock.now(), PAUSE_AFTER_FAILURES);
    throw new DomainError('webhook-failed', `revocation notice ${d.id} to ${sub.callbackUrl} ${failure.what}; retried with backoff`);
  }
  await store.recordAttempt(d.id, sub.id, { delivered: true }, deps.clock.now(), PAUSE_AFTER_FAILURES);
  return 'delivered';
}
