// Plain records that libs/db hands upward: no Prisma types leave this lib.

/** How a list is sorted: a record field (checked against an allow-list by the caller) and a direction. */
export interface ListOrder {
  field: string;
  direction: 'asc' | 'desc';
}

/** Page of a list and the total count, for `Content-Range`. */
export interface Page<T> {
  items: T[];
  total: number;
}
import type {
  CaStatus, CertificateStatus, ConformanceStatus, ConformanceTrigger, ExchangePurpose, KeyType, LeafProfile, OrganizationProfile, OrganizationStatus,
} from '@anchorage/contracts';

/** A stored community with its policy. */
export interface CommunityRecord {
  id: string;
  uri: string;
  name: string;
  allowedLeafKeyTypes: KeyType[];
  maxLeafValidityDays: number;
  crlLifetimeSeconds: number;
  allowGeneratedKeys: boolean;
  requireEndpointControl: boolean;
  autoApproveVerified: boolean;
  /** The CAs must have RSA keys (RSA-only relying parties reject EC chains). */
  requireRsaChain: boolean;
  /** The catalog of exchange purposes its client SAN URIs may carry as fragments (empty: no catalog). */
  exchangePurposes: ExchangePurpose[];
  createdAt: Date;
}

/** A stored certificate authority. */
export interface CaRecord {
  id: string;
  communityId: string;
  role: 'root' | 'issuing';
  status: CaStatus;
  parentId: string | null;
  subjectDer: Uint8Array;
  subject: string;
  keyType: KeyType;
  keyRef: string;
  spkiDer: Uint8Array;
  certificateDer: Uint8Array | null;
  csrDer: Uint8Array | null;
  notBefore: Date | null;
  notAfter: Date | null;
  lastCrlNumber: bigint;
  createdAt: Date;
  /** When its own certificate was revoked on its parent's CRL (retired or compromised), else null. */
  revokedAt: Date | null;
  revocationReason: number | null;
}

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

/** A stored leaf certificate (pending ones have no DER yet). */
export interface CertificateRecord {
  id: string;
  issuerId: string;
  organizationId: string;
  serial: Uint8Array;
  profile: LeafProfile;
  status: CertificateStatus;
  subject: string;
  sanUris: string[];
  keyType: KeyType;
  notBefore: Date;
  notAfter: Date;
  tbsDer: Uint8Array;
  der: Uint8Array | null;
  requestKey: string | null;
  requestFingerprint: string | null;
  requestedBy: string;
  revokedAt: Date | null;
  revocationReason: number | null;
  invalidityDate: Date | null;
  /** False while a revocation, hold or release is committed but not yet on a committed CRL. */
  revocationPublished: boolean;
  createdAt: Date;
  issuedAt: Date | null;
  /** When the expiry scan saw it past notAfter (null before). */
  expiredAt: Date | null;
}

/** A stored CRL (DER included only where asked for). */
export interface CrlRecord {
  id: string;
  caId: string;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entryCount: number;
  sha256: string;
  der?: Uint8Array;
}

/** An audit event to append. */
export interface AuditInput {
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/** A stored audit event: its insertion number, and its chain place and links once the sequencer linked it. */
export interface AuditRecord extends AuditInput {
  seq: bigint;
  chainSeq: bigint | null;
  prevHash: string | null;
  hash: string | null;
}

/** An audit event linked into the hash chain. */
export interface ChainedAuditRecord extends AuditRecord {
  chainSeq: bigint;
  prevHash: string;
  hash: string;
}

/** A revoked certificate as it goes into a CRL. */
export interface CrlEntryRow {
  serial: Uint8Array;
  revokedAt: Date;
  reason: number;
  invalidityDate: Date | null;
}

/** Roles of people who sign in (API tokens act as operators of every community). */
export type UserRole = 'operator' | 'auditor' | 'member-admin';

/** A stored user (the password hash and sealed TOTP secret stay inside libs/authority's identity code). */
export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  organizationId: string | null;
  /** Whether an operator runs every community, present and future. */
  allCommunities: boolean;
  /** Communities an operator runs when not all of them (empty for other roles). */
  communityIds: string[];
  passwordHash: string;
  totpSecretSealed: string | null;
  totpEnabledAt: Date | null;
  failedLogins: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

/** A new user as the authority stores it. */
export type NewUser = Omit<UserRecord, 'failedLogins' | 'lockedUntil' | 'disabledAt' | 'createdAt'>;

/** One refresh token of a sign-in session family. */
export interface SessionRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  familyExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** States of a certificate request. */
export type CertificateRequestStatus = 'submitted' | 'approved' | 'issued' | 'rejected' | 'cancelled';

/** A stored certificate request. */
export interface CertificateRequestRecord {
  id: string;
  organizationId: string;
  profile: LeafProfile;
  sanUris: string[];
  keyType: KeyType;
  csrDer: Uint8Array;
  csrSha256: string;
  status: CertificateRequestStatus;
  reason: string | null;
  clientRequestId: string | null;
  renewalOf: string | null;
  requestedBy: string;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  certificateId: string | null;
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

/** A job written in the same transaction as the state change that implies it (transactional outbox). */
export interface OutboxJob {
  /** Derived from the subject (e.g. `bulk-revoke.<id>`): the BullMQ job id, unique across the outbox. */
  jobId: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/** An outbox row and its delivery state. */
export interface OutboxRecord extends OutboxJob {
  id: string;
  createdAt: Date;
  relayedAt: Date | null;
  relayCount: number;
  completedAt: Date | null;
  lastError: string | null;
}

/** Why a bulk revocation runs. */
export type BulkRevocationCause = 'organization-suspended' | 'ca-retired' | 'ca-compromised';

/** Progress of a bulk revocation. */
export type BulkRevocationStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A bulk revocation: every live certificate of an organization or an issuing CA, revoked in batches. */
export interface BulkRevocationRecord {
  id: string;
  communityId: string;
  organizationId: string | null;
  caId: string | null;
  /** RFC 5280 §5.3.1 CRLReason code given to every certificate. */
  reason: number;
  cause: BulkRevocationCause;
  status: BulkRevocationStatus;
  /** Certificates to revoke: revoked so far plus those still live, counted when a run starts. */
  total: number | null;
  revoked: number;
  batches: number;
  /** CRL number (decimal) of each CA's CRL that lists all of them, once completed. */
  crlNumbers: Record<string, string>;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
}

/** A live certificate picked up by a bulk revocation batch. */
export interface BulkRevocationTarget {
  id: string;
  issuerId: string;
  serial: Uint8Array;
  status: 'issued' | 'on-hold';
  /** Set when on hold: RFC 5280 §5.3.1 keeps the date of the hold. */
  revokedAt: Date | null;
}

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

/** What issuance reads of an organization (not its profile: the hot path does not need it). */
export type IssuanceOrganization = Pick<OrganizationRecord, 'id' | 'communityId' | 'name' | 'sanUris' | 'status' | 'statusReason' | 'createdAt'>;

/** Organization with its SAN URIs, its community and the community's active issuing CA (or null). */
export interface IssuanceContextRecord {
  org: IssuanceOrganization;
  community: CommunityRecord;
  issuer: CaRecord | null;
}

/** A stored operator API token (never its secret: only a hash is stored, and not handed upward). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  createdAt: Date;
  /** Actor id of who created it (null for tokens made before this was recorded, or by the database CLI). */
  createdBy: string | null;
  lastUsedAt: Date | null;
  /** After this instant the token no longer authenticates (null: no expiry). */
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

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

/** What a CRL generation claimed, listed for its revocation notice. */
export interface ClaimedRevocations {
  /** Revocation changes claimed (added and released). */
  claimed: number;
  /** Serials added, in serial order, at most the cap asked for. */
  added: NoticeSerial[];
  /** How many serials were added (may exceed `added.length`). */
  addedCount: number;
  /** Serials released from hold (hex), at most the cap. */
  released: string[];
}

/** A monitored member server and its current state (conformance-store.ts). */
export interface ConformanceEndpointRecord {
  id: string;
  communityId: string;
  organizationId: string;
  baseUrl: string;
  status: ConformanceStatus;
  statusSince: Date | null;
  lastCheckedAt: Date | null;
  lastPassingAt: Date | null;
  lastCheckId: string | null;
  consecutiveFailures: number;
  nextDueAt: Date;
  certificatesGoneAt: Date | null;
  retiredAt: Date | null;
  createdAt: Date;
}

/** One finding of a check, as stored (JSON). */
export interface StoredConformanceFinding {
  code: string;
  severity: 'error' | 'warning';
  section: string;
  message: string;
  claim?: string;
  depth?: number;
}

/** A check to record. */
export interface NewConformanceCheck {
  id: string;
  endpointId: string;
  checkedAt: Date;
  status: 'passing' | 'failing';
  trigger: ConformanceTrigger;
  requestedBy: string;
  findings: StoredConformanceFinding[];
  signerSerial: string | null;
  signerCertificateId: string | null;
  durationMs: number;
  httpStatus: number | null;
}

/** A recorded check. */
export type ConformanceCheckRecord = NewConformanceCheck;

/** An alert of a passing -> failing transition and its delivery. */
export interface ConformanceAlertRecord extends DeliveryState {
  id: string;
  endpointId: string;
  checkId: string;
  organizationId: string;
  communityId: string;
  baseUrl: string;
  codes: string[];
  lastPassingAt: Date | null;
  createdAt: Date;
}

/** What a sync of the monitored set did. */
export interface ConformanceSyncOutcome {
  /** Endpoints newly monitored (or monitored again). */
  added: number;
  /** Endpoints whose last live server certificate went (still checked during the grace period). */
  certificatesGone: number;
  /** Endpoints retired after the grace period. */
  retired: number;
}

/** An endpoint taken for a check by a scan. */
export interface LeasedEndpoint {
  id: string;
  organizationId: string;
}
