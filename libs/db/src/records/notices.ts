// Expiry and state notices, and how far their delivery got.

/** How far the delivery of a notice or alert got: its e-mail sent once, its webhook delivered (or the last failure). */
export interface DeliveryState {
  emailTo: string[];
  emailSentAt: Date | null;
  webhookUrl: string | null;
  webhookDeliveredAt: Date | null;
  webhookAttempts: number;
  lastError: string | null;
}

/** An expiry notice and what its delivery did. */
export interface ExpiryNoticeRecord extends DeliveryState {
  id: string;
  subjectType: 'certificate' | 'ca';
  certificateId: string | null;
  caId: string | null;
  organizationId: string | null;
  communityId: string;
  thresholdDays: number;
  notAfter: Date;
  createdAt: Date;
}

/** Who a state notice is for: the organization's member admins (and its webhook), or the community's operators. */
export type StateNoticeAudience = 'member' | 'operators';

/** A state change to tell people about, as recorded with the change. */
export interface StateNoticeInput {
  id: string;
  /** The audit action of the change, e.g. `certificate-request.issued`, `organization.suspended`. */
  event: string;
  audience: StateNoticeAudience;
  subjectType: 'certificate-request' | 'organization';
  subjectId: string;
  organizationId: string;
  communityId: string;
  /** What the message says beyond the subject (a reason, a certificate id). */
  data: Record<string, unknown>;
}

/** A state notice and what its delivery did. */
export interface StateNoticeRecord extends StateNoticeInput, DeliveryState {
  createdAt: Date;
}

/** What one expiry scan did. */
export interface ExpiryScanOutcome {
  /** Certificates marked expired by this scan. */
  expired: string[];
  /** Notices created by this scan (others existed already). */
  notices: string[];
}
