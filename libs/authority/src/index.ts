export { DomainError } from './errors';
export { systemClock, type Clock } from './clock';
export { PublicUrls } from './urls';
export type { Actor, ActorRole, AuthorityDeps, IdentityKeys } from './deps';
export { PublicRepository, type PublishedObject } from './public-repository';
export { CoalescedRuns } from './coalesced-runs';
export { createCommunity, type CreatedCommunity } from './create-community';
export { type CommunityAwaitingRoot } from './create-offline-root-community';
export { installIssuingCaCertificate, type InstallIssuingCaCertificateInput, type InstalledIssuingCa } from './install-issuing-ca-certificate';
export { isExternalCa } from './external-ca';
export { DEFAULT_POLICY, type CreateCommunityInput } from './community-input';
export { createOrganization, addSanUris, type CreateOrganizationInput } from './create-organization';
export { setExchangePurposes, validateExchangePurposes, type ExchangePurposesInput } from './set-exchange-purposes';
export { updateCommunityPolicy, policyOf } from './update-community-policy';
export { issueCertificate, activeIssuingCa, type IssueCertificateInput, type IssuedCertificate } from './issue-certificate';
export {
  issueWithGeneratedKey, PKCS12_UNAVAILABLE, MIN_PKCS12_PASSWORD_LENGTH, type IssueWithGeneratedKeyInput, type IssuedWithGeneratedKey,
} from './issue-with-generated-key';
export { revokeCertificate, releaseHold, locateCertificate, type RevokeInput, type CertificateLocator, type Revocation } from './revoke-certificate';
export { generateCrl, type CrlOutcome } from './generate-crl';
export { AUDIT_LINK_BOUND_MS, AuditSequencer, linkAuditChain, type SequencerCounters } from './audit-sequencer';
export { verifyAuditChain, type AuditVerification, type CheckedCheckpoint } from './verify-audit';
export { createAuditCheckpoint, type AuditCheckpointOutcome } from './create-audit-checkpoint';
export { loadAuditCheckpoint, type VerifiedCheckpoint } from './audit-checkpoint';
export { createApiToken, authenticateApiToken, apiTokenStatus, apiTokenView, revokeApiToken, MAX_API_TOKEN_DAYS } from './api-tokens';
export { ApiTokenCache, API_TOKEN_CACHE_TTL_MS } from './api-token-cache';
export { communityView, caView, organizationView, certificateView, crlView, expiryNoticeView } from './views';
export { openPlatform, type Platform, type PlatformOptions } from './platform';
export { assertKeysOpen } from './key-check';
export { publishPendingRevocations, refreshStaleCrls, type RefreshResult } from './refresh-crls';
export {
  BULK_BATCH_SIZE, bulkReason, bulkRevocationView, queueBulkRevocation, runBulkRevocation, type BulkProgress, type BulkRunOutcome,
} from './bulk-revocation';
export { endIssuingCa, type EndIssuingCaInput, type EndedIssuingCa } from './retire-issuing-ca';
export { caImpact, organizationImpact } from './action-impact';
export * from './identity';
export * from './onboarding';
export * from './requests';
export * from './notices';
export * from './revocation-notices';
export * from './directory';
export * from './certifications';
export * from './conformance';
export { communityTrust, type CommunityTrust } from './community-trust';
export * from './test-kit';
