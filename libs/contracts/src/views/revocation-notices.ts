// Relying parties' subscriptions to a community's revocations, and the deliveries of their notices
// (docs/revocation-notices.md).
import { z } from 'zod';
import { timestamp, uuid, view } from './common';

/** A subscription to a community's revocation notices (never its secret). */
export const revocationSubscriptionViewSchema = view({
  id: uuid,
  communityId: uuid,
  /** An operator-registered relying party, or a member organization. */
  ownerType: z.enum(['relying-party', 'organization']),
  organizationId: uuid.nullable(),
  /** The relying party's name, for an operator-registered one. */
  relyingParty: z.string().nullable(),
  callbackUrl: z.string(),
  status: z.enum(['active', 'paused', 'cancelled']),
  /** Why it is paused: by a person (manual) or by the platform after repeated failures (failing). */
  pausedReason: z.enum(['manual', 'failing']).nullable(),
  /** ok, or failing while its last attempts failed (active), or its status otherwise. */
  health: z.enum(['ok', 'failing', 'paused', 'cancelled']),
  consecutiveFailures: z.number().int(),
  totalFailures: z.number().int(),
  /** The last failure, an OutboundFailure code (never what the receiver said). */
  lastError: z.string().nullable(),
  lastFailureAt: timestamp.nullable(),
  lastDeliveredAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
/** A subscription to a community's revocation notices. */
export type RevocationSubscriptionView = z.infer<typeof revocationSubscriptionViewSchema>;

/** A subscription as just created, or its secret as just rotated: the HMAC secret is shown this once. */
export const revocationSubscriptionSecretViewSchema = view({ subscription: revocationSubscriptionViewSchema, secret: z.string() });
/** A subscription and its HMAC secret, shown this once. */
export type RevocationSubscriptionSecretView = z.infer<typeof revocationSubscriptionSecretViewSchema>;

/** One notice to one subscription: which CRL, and how its delivery went. */
export const revocationDeliveryViewSchema = view({
  /** The notice id the receiver sees (X-Anchorage-Delivery, body `id`), the same on every retry. */
  id: uuid,
  subscriptionId: uuid,
  caId: uuid,
  /** The CRL number announced (decimal). */
  crlNumber: z.string(),
  /** Serials the CRL added. */
  serialCount: z.number().int(),
  status: z.enum(['pending', 'delivered', 'failed', 'skipped']),
  attempts: z.number().int(),
  /** The last failure, an OutboundFailure code. */
  lastError: z.string().nullable(),
  lastAttemptAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
  createdAt: timestamp,
});
/** One notice to one subscription. */
export type RevocationDeliveryView = z.infer<typeof revocationDeliveryViewSchema>;
