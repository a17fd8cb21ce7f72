// Revocation subscriptions of relying servers, the notices they are sent, and their deliveries.

/** Who owns a revocation subscription: a relying party an operator registered, or a member organization. */
export type RevocationSubscriptionOwner = 'relying-party' | 'organization';

/** A relying server's subscription to a community's revocations (revocation_subscription). */
export interface RevocationSubscriptionRecord {
  id: string;
  communityId: string;
  ownerType: RevocationSubscriptionOwner;
  organizationId: string | null;
  relyingParty: string | null;
  callbackUrl: string;
  secretSealed: string;
  status: 'active' | 'paused' | 'cancelled';
  pausedReason: 'manual' | 'failing' | null;
  consecutiveFailures: number;
  totalFailures: number;
  lastError: string | null;
  lastFailureAt: Date | null;
  lastDeliveredAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A serial a CRL added, as a revocation notice lists it. */
export interface NoticeSerial {
  /** Hex, as on the certificate. */
  serial: string;
  /** RFC 5280 §5.3.1 reason code. */
  reason: number;
  revokedAt: string;
}

/** One CRL as relying servers are told about it (revocation_notice). */
export interface RevocationNoticeRecord {
  id: string;
  communityId: string;
  caId: string;
  crlId: string;
  crlNumber: bigint;
  previousCrlNumber: bigint | null;
  thisUpdate: Date;
  nextUpdate: Date;
  serials: NoticeSerial[];
  serialCount: number;
  released: string[];
  createdAt: Date;
}

/** One notice to one subscription (revocation_delivery). */
export interface RevocationDeliveryRecord {
  id: string;
  subscriptionId: string;
  noticeId: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** Of the notice: which CRL it announced. */
  caId: string;
  crlNumber: bigint;
  serialCount: number;
}
