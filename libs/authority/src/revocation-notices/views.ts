// Revocation subscriptions and deliveries as the API answers them: never the sealed secret, and an
// error only as a fixed OutboundFailure code (what a receiver or a socket said goes to the server log).
import { isOutboundFailure, type RevocationDeliveryView, type RevocationSubscriptionView } from '@anchorage/contracts';
import type { RevocationDeliveryRecord, RevocationSubscriptionRecord } from '@anchorage/db';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const code = (e: string | null) => (e === null || isOutboundFailure(e) ? e : 'unknown');

/** Subscription record to wire view; `health` is what the console shows first. */
export function revocationSubscriptionView(s: RevocationSubscriptionRecord): RevocationSubscriptionView {
  const health = s.status === 'active' ? (s.consecutiveFailures > 0 ? 'failing' : 'ok') : s.status;
  return {
    id: s.id, communityId: s.communityId, ownerType: s.ownerType, organizationId: s.organizationId, relyingParty: s.relyingParty, callbackUrl: s.callbackUrl,
    status: s.status, pausedReason: s.pausedReason, health, consecutiveFailures: s.consecutiveFailures, totalFailures: s.totalFailures, lastError: code(s.lastError),
    lastFailureAt: iso(s.lastFailureAt), lastDeliveredAt: iso(s.lastDeliveredAt), createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
  };
}

/** Delivery record to wire view. */
export function revocationDeliveryView(d: RevocationDeliveryRecord): RevocationDeliveryView {
  return {
    id: d.id, subscriptionId: d.subscriptionId, caId: d.caId, crlNumber: d.crlNumber.toString(), serialCount: d.serialCount, status: d.status, attempts: d.attempts,
    lastError: code(d.lastError), lastAttemptAt: iso(d.lastAttemptAt), deliveredAt: iso(d.deliveredAt), createdAt: d.createdAt.toISOString(),
  };
}
