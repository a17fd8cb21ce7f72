import type { EndpointCheckFailure } from './outbound';
import type { KeyType, LeafProfile } from './profiles';
import type { RevocationReasonName } from './revocation';

/** A community's policy, as stored and as sent over the wire. */
export interface CommunityPolicy {
  allowedLeafKeyTypes: KeyType[];
  maxLeafValidityDays: number;
  crlLifetimeSeconds: number;
  allowGeneratedKeys: boolean;
  /** udap-server requests are approved only once every SAN URI passed endpoint control (absent: false). */
  requireEndpointControl?: boolean;
  /** Requests whose SAN URIs all passed endpoint control are approved (issued) at once (absent: false). */
  autoApproveVerifiedRequests?: boolean;
  /**
   * Every CA of the community (its own and an offline root) must have an RSA key, so that relying
   * parties that verify only RSA signatures (node-forge) can verify its chains; an EC CA key is refused
   * at creation and at installing an issuing CA's certificate (absent: false).
   */
  requireRsaChain?: boolean;
}

/** Code of a community warning: what works, but some relying parties will reject. */
export type CommunityWarningCode = 'ec-ca-rsa-only-relying-parties';

/** Something about a community that relying parties of the UDAP profile sheet treat differently. */
export interface CommunityWarning {
  code: CommunityWarningCode;
  message: string;
}

/** A trust community. */
export interface CommunityView {
  id: string;
  uri: string;
  name: string;
  policy: CommunityPolicy;
  rootCaId: string | null;
  issuingCaId: string | null;
  /** Derived from its CAs on every read (empty when nothing applies); a creation response carries them too. */
  warnings: CommunityWarning[];
  createdAt: string;
}

/** Lifecycle of a CA. */
export type CaStatus = 'awaiting-certificate' | 'active' | 'retired' | 'compromised';

/** A certificate authority of a community. */
export interface CaView {
  id: string;
  communityId: string;
  role: 'root' | 'issuing';
  status: CaStatus;
  subject: string;
  keyType: KeyType;
  notBefore: string | null;
  notAfter: string | null;
  certificateUrl: string;
  crlUrl: string;
  certificatePem: string | null;
  csrPem: string | null;
  /** When its certificate was revoked on its parent's CRL (retired or compromised), else null. */
  revokedAt: string | null;
}

/** The answer to retiring an issuing CA or declaring it compromised. */
export interface EndedCaView {
  ca: CaView;
  bulkRevocation: BulkRevocationView;
  /** CRL number of the parent's CRL that lists the CA, or null when the parent is an offline root. */
  parentCrlNumber: string | null;
  /** What the operator must still do (an offline root's operator revokes the CA's certificate). */
  notice: string | null;
}

/** Outcome of installing an externally signed certificate on a CA that awaited one (offline root). */
export interface CaCertificateInstallation {
  /** The issuing CA, now active. */
  ca: CaView;
  /** The external root, stored as a CA record without a key (the platform never signs with it). */
  root: CaView;
  /** Deviations from the UDAP issuing-CA profile that relying parties tolerate; accepted with a warning. */
  warnings: string[];
}

/** A member organization. */
export interface OrganizationView {
  id: string;
  communityId: string;
  name: string;
  /** SAN URIs bound to the organization for good (on creation by an operator, or on approval). */
  sanUris: string[];
  status: OrganizationStatus;
  /** Why it was rejected or suspended. */
  statusReason: string | null;
  /** What the member submitted (empty until then, for organizations an operator created directly). */
  profile: Partial<OrganizationProfile>;
  /** Revision of `profile`: 0 before the first submission, one more with each; approving names the revision reviewed. */
  profileRevision: number;
  submittedAt: string | null;
  reviewedAt: string | null;
  createdAt: string;
  /** Where signed expiry webhooks go (null: none). */
  webhookUrl: string | null;
}

/** Where an organization is in onboarding: draft -> submitted -> active | rejected (-> submitted); active <-> suspended. */
export type OrganizationStatus = 'draft' | 'submitted' | 'active' | 'rejected' | 'suspended';

/** Kinds of organization identifiers the profile accepts. */
export type OrganizationIdentifierType = 'NPI' | 'OID' | 'LEI' | 'other';

/** A person the operator can reach about the organization's systems. */
export interface OrganizationContact {
  name: string;
  email: string;
  phone?: string;
}

/** The organization profile a member completes and an operator reviews. */
export interface OrganizationProfile {
  legalName: string;
  identifiers: { type: OrganizationIdentifierType; value: string; label?: string }[];
  address: { lines: string[]; city: string; region?: string; postalCode?: string; country: string };
  technicalContact: OrganizationContact;
  securityContact: OrganizationContact;
  /** Endpoints and client URIs the organization will use as SAN URIs; bound to it on approval. */
  requestedSanUris: string[];
}

/** An invitation as the API shows it (never its token). */
export interface InvitationView {
  id: string;
  organizationId: string;
  email: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
}

/** Lifecycle of a leaf certificate. */
export type CertificateStatus = 'pending' | 'issued' | 'revoked' | 'on-hold';

/** An issued leaf certificate with everything a member needs to use it. */
export interface CertificateView {
  id: string;
  issuerId: string;
  organizationId: string;
  serial: string;
  profile: LeafProfile;
  status: CertificateStatus;
  subject: string;
  sanUris: string[];
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  /** When the expiry scan marked it expired (null before). */
  expiredAt: string | null;
  revocationReason: RevocationReasonName | null;
  pem: string;
  chainPem: string;
  derBase64: string;
  x5c: string[];
  crlUrl: string;
  caIssuersUrl: string;
  /** Where the platform generated the key: PKCS #12 (key, leaf, issuing CA), delivered once only. */
  pkcs12Base64?: string;
  /** Set instead of pkcs12Base64 when a repeated request cannot deliver the key again. */
  pkcs12Unavailable?: string;
  /** The certificate's extensions decoded (on the detail endpoint only). */
  extensions?: { oid: string; name: string; critical: boolean; value: string }[];
}

/** Metadata of a published CRL. */
export interface CrlView {
  caId: string;
  crlNumber: string;
  thisUpdate: string;
  nextUpdate: string;
  entryCount: number;
  sha256: string;
  url: string;
}

/** Roles of people who sign in. */
export type UserRole = 'operator' | 'auditor' | 'member-admin';

/** A user as the API shows it (never the password hash or TOTP secret). */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  organizationId: string | null;
  /** An operator's communities: 'all', or the ids it runs. */
  communities: 'all' | string[];
  totpEnabled: boolean;
  /** Locked after repeated failed sign-ins, until this time. */
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
}

/** A created user; an operator's TOTP secret is shown this once, for the person's authenticator app. */
export interface CreatedUserView extends UserView {
  totpEnrollment: { secret: string; otpauthUri: string } | null;
}

/** A successful sign-in or refresh (the refresh token itself travels in an httpOnly cookie). */
export interface SessionView {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserView;
}

/** A certificate request as the API shows it. */
export interface CertificateRequestView {
  id: string;
  organizationId: string;
  profile: LeafProfile;
  sanUris: string[];
  keyType: KeyType;
  /** The CSR, PEM. */
  csrPem: string;
  status: 'submitted' | 'approved' | 'issued' | 'rejected' | 'cancelled';
  /** Why it was rejected (or why approval could not issue). */
  reason: string | null;
  requestId: string | null;
  renewalOf: string | null;
  requestedBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The issued certificate. */
  certificateId: string | null;
}

/** Proof that a member controls a SAN URI: the token it publishes at `publishAt`, and the outcome. */
export interface EndpointCheckView {
  organizationId: string;
  uri: string;
  token: string;
  publishAt: string;
  status: 'pending' | 'verified' | 'failed';
  checkedAt: string | null;
  verifiedAt: string | null;
  /** Why the last check failed: a code whose text is ENDPOINT_CHECK_FAILURES[code] (never the server's answer). */
  lastError: EndpointCheckFailure | null;
}

/** What the console's dashboard shows, within the caller's scope. */
export interface DashboardView {
  pendingRequests: number;
  organizationsAwaitingReview: number;
  /** The newest CRL of each CA, and how long until it must be replaced. */
  crls: {
    caId: string; caSubject: string; caRole: 'root' | 'issuing'; communityId: string;
    /** CA status (a retired or compromised CA still publishes CRLs). */
    caStatus: CaStatus;
    /** An offline root: its CRL is issued and published by its own operator, never by the platform. */
    external: boolean;
    crlNumber: string | null; nextUpdate: string | null; secondsUntilNextUpdate: number | null; entryCount: number | null;
  }[];
  expiringSoon: { withinDays: number; total: number; certificates: { id: string; serial: string; organizationId: string; sanUris: string[]; notAfter: string }[] };
}

/** A bulk revocation: every live certificate of a suspended organization or a retired or compromised CA. */
export interface BulkRevocationView {
  id: string;
  communityId: string;
  organizationId: string | null;
  caId: string | null;
  /** RFC 5280 reason name given to every certificate. */
  reason: string;
  cause: 'organization-suspended' | 'ca-retired' | 'ca-compromised';
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** Certificates to revoke (counted when a run starts; null before). */
  total: number | null;
  revoked: number;
  batches: number;
  /** CRL number of each CA's CRL that lists all of them, once completed. */
  crlNumbers: Record<string, string>;
  requestedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  lastError: string | null;
}

/** The answer to a suspension: the organization and the bulk revocation it started, if any. */
export interface SuspensionView extends OrganizationView {
  bulkRevocation: BulkRevocationView | null;
}

/** Jobs of one queue by state, as BullMQ counts them. */
export interface QueueCountsView {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  paused: number;
}

/** The worker's queues and the outbox relay's backlog (GET /api/v1/queues). */
export interface QueuesView {
  queues: { name: string; counts: QueueCountsView }[];
  outbox: {
    /** Jobs committed but not yet moved into Redis (Redis down, or no worker running). */
    unrelayed: number;
    oldestUnrelayedSeconds: number;
    /** Jobs moved into Redis and not finished yet. */
    relayedIncomplete: number;
  };
}

/** A job that failed (GET /api/v1/queues/{name}/failed). */
export interface FailedJobView {
  /** Job id (derived from the subject, e.g. bulk-revoke.<uuid>). */
  id: string;
  queue: string;
  name: string;
  /** The error of the last attempt. */
  failedReason: string;
  attemptsMade: number;
  /** Attempts allowed before the job stays failed. */
  attempts: number;
  data: Record<string, unknown>;
  /** When it was added and when it last failed (ISO). */
  createdAt: string;
  failedAt: string | null;
}

/** An organization's webhook as just set: the HMAC secret is shown this once. */
export interface WebhookSettingView {
  url: string;
  secret: string;
}

/** An expiry notice and what its delivery did. */
export interface ExpiryNoticeView {
  id: string;
  subjectType: 'certificate' | 'ca';
  certificateId: string | null;
  caId: string | null;
  organizationId: string | null;
  communityId: string;
  thresholdDays: number;
  notAfter: string;
  createdAt: string;
  emailTo: string[];
  emailSentAt: string | null;
  webhookUrl: string | null;
  webhookDeliveredAt: string | null;
  webhookAttempts: number;
  /** The last error: of the webhook while it is not delivered (an OutboundFailure code), else of the e-mail. */
  lastError: string | null;
}

/** Why an audit-chain verification failed. */
export type AuditProblemCode =
  | 'link-broken' | 'edited' | 'truncated' | 'missing-event' | 'hash-mismatch' | 'count-mismatch' | 'bad-signature' | 'bad-checkpoint';

/** The first thing found wrong: at event `seq` (for a checkpoint, the event it names; null when a checkpoint cannot be read at all). */
export interface AuditProblem {
  seq: string | null;
  code: AuditProblemCode;
  message: string;
}
