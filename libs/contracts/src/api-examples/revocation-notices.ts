// Examples of a revocation subscription and a delivery.
import type { RevocationDeliveryView, RevocationSubscriptionView } from '../wire';
import { ids } from './shared';

export const revocationSubscriptionExample: RevocationSubscriptionView = {
  id: ids.subscription,
  communityId: ids.community,
  ownerType: 'relying-party',
  organizationId: null,
  relyingParty: 'Statewide HIE',
  callbackUrl: 'https://hie.example.org/anchorage/revocations',
  status: 'active',
  pausedReason: null,
  health: 'ok',
  consecutiveFailures: 0,
  totalFailures: 1,
  lastError: 'timeout',
  lastFailureAt: '2026-03-01T08:00:02.000Z',
  lastDeliveredAt: '2026-03-02T08:00:00.412Z',
  createdAt: '2026-02-20T10:00:00.000Z',
  updatedAt: '2026-02-20T10:00:00.000Z',
};

export const revocationDeliveryExample: RevocationDeliveryView = {
  id: ids.delivery,
  subscriptionId: ids.subscription,
  caId: ids.issuingCa,
  crlNumber: '42',
  serialCount: 1,
  status: 'delivered',
  attempts: 1,
  lastError: null,
  lastAttemptAt: '2026-03-02T08:00:00.412Z',
  deliveredAt: '2026-03-02T08:00:00.412Z',
  createdAt: '2026-03-02T08:00:00.120Z',
};
