export { createDatabase, dropDatabase, ensureDatabase } from './admin';
export { createMigratedDatabase, type FreshDatabase } from './fresh-database';
export { migrateDatabase, DEFAULT_MIGRATIONS_DIR } from './migrate';
export { Database } from './database';
export type { CertificateFilter, CertificateStore, LiveServerEndpoint } from './certificate-store';
export { unrevokedCountsQuery } from './certificate-store';
export type {
  CertificationStore, CertificationFilter, CertificationRecord, CertificationStatus, CertificationStatusEntry, CertificationTemplateRecord, NewCertification, PlatformCertifierRecord,
  NewCertificationTemplate,
} from './certification-store';
export type { StoreScope } from './scope';
export type { CommunityStore } from './community-store';
export type { CaStore } from './ca-store';
export type { OrganizationStore } from './organization-store';
export type { CrlStore } from './crl-store';
export type { ApiTokenStore } from './api-token-store';
export { CrlGeneration } from './crl-generation';
export { AUDIT_CHECKPOINT_CHANNEL, COMMUNITY_CHANGED_CHANNEL, CRL_PUBLISHED_CHANNEL } from './channels';
export { DbConflictError } from './errors';
export type { GroupCommitLimits, GroupCommitStats } from './group-commit';
export type { IssuanceIntentInput } from './issuance-store';
export type { IdentityStore, PasskeyRecord, RotateOutcome } from './identity-store';
export type { OnboardingStore } from './onboarding-store';
export type { RequestStore, RequestFilter } from './request-store';
export type { OutboxWriter, OutboxRelayStore, OutboxBacklog } from './outbox-store';
export type { NoticeStore } from './notice-store';
export type { StateNoticeStore } from './state-notice-store';
export type { RevocationSubscriptionStore, NewRevocationSubscription, RevocationSubscriptionFilter, DeliveryAttempt } from './revocation-subscription-store';
export type { ConformanceStore, ConformanceEndpointFilter, ConformanceState } from './conformance-store';
export type { BulkRevocationStore, BulkRevocationFilter, NewBulkRevocation, BatchRevocation } from './bulk-revocation-store';
export type { Reports, CrlFreshness, SubjectKind, ActivityDay, CaCrlHistory, CrlPointRecord, CaLeafCounts } from './reports';
export type { AuditFilter, AuditListFilter, AuditLog, AuditOrder, LinkOutcome } from './audit-store';
export type { AuditCheckpointStore, AuditCheckpointRecord, AuditChainHead, NewAuditCheckpoint } from './audit-checkpoint-store';
export { AUDIT_GENESIS, auditHash, canonicalJson } from './audit-hash';
export type * from './records';
export type { TestKitStore, TestKitRecord } from './test-kit-store';
