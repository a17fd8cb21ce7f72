// Member organizations and their onboarding: invitations and endpoint-control checks.
import type { OrganizationProfile, OrganizationStatus } from '@anchorage/contracts';

/** A stored member organization with its bound SAN URIs and onboarding state. */
export interface OrganizationRecord {
  id: string;
  communityId: string;
  name: string;
  sanUris: string[];
  status: OrganizationStatus;
  statusReason: string | null;
  profile: Partial<OrganizationProfile>;
  /** Revision of `profile`: 0 before the first submission, one more with each (approval names the one reviewed). */
  profileRevision: number;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  createdAt: Date;
  /** Where signed expiry webhooks go (its HMAC secret is stored sealed, never in this record). */
  webhookUrl: string | null;
}

/** A stored invitation (its token only as a hash). */
export interface InvitationRecord {
  id: string;
  organizationId: string;
  email: string;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
}

/** The endpoint-control check of one SAN URI of an organization. */
export interface EndpointCheckRecord {
  organizationId: string;
  uri: string;
  token: string;
  status: 'pending' | 'verified' | 'failed';
  requestedBy: string;
  createdAt: Date;
  checkedAt: Date | null;
  verifiedAt: Date | null;
  lastError: string | null;
}
