// Example answers of the admin API, one realistic value per view, for the OpenAPI document. Typed by
// the views (so they compile only while they have the views' fields) and checked against the schemas
// at run time too (api-responses.spec.ts), so an example never shows a shape the API does not answer.
import type {
  ApiTokenView, AuditEventView, CaImpactView, OrganizationImpactView, AuditVerificationView, CertificationTemplateView, CertificationView, PlatformCertifierView, BulkRevocationView, CaView, CertificateRequestView, CertificateView, CommunityView,
  ConformanceAlertView, ConformanceCheckView, ConformanceEndpointView, CrlView, DashboardView, EndpointCheckView, ExpiryNoticeView, FailedJobView, InvitationView, OrganizationProfile,
  OrganizationView, QueuesView, UserView, RevocationDeliveryView, RevocationSubscriptionView, TestKitView,
  ActivityReportView, CommunityHierarchyView, CrlReportView, ExpiryReportView,
} from './wire';

const ids = {
  community: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  rootCa: '2c8e4f6a-1b3d-4e5f-9a7b-6c8d0e2f4a1b',
  issuingCa: '7d9f1b3c-5e7a-4c2d-8f1e-3a5b7c9d1e2f',
  organization: 'e4a6c8d0-2f4b-4d6e-a8c0-1e3f5a7b9c2d',
  certificate: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  member: '5b7d9f1a-3c5e-4f7a-9b1c-2d4e6f8a0b3c',
  operator: '1f3a5c7e-9b2d-4f6a-8c0e-4b6d8f0a2c5e',
  invitation: '6c8e0a2b-4d6f-4a8c-9e1b-3d5f7a9c1e4a',
  request: '8e0a2c4d-6f8b-4a1c-b3e5-7d9f1b3d5e6a',
  bulk: '3d5f7b9a-1c3e-4b5d-8f7a-9c1e3b5d7f8a',
  notice: '4e6a8c0b-2d4f-4c6e-9a8b-0d2f4a6c8e9b',
  template: '0a2c4e6b-8d0f-4b2d-9c4e-6a8c0e2b4d7f',
  certification: '2b4d6f8c-0e2a-4c4e-8d6f-8b0d2f4a6c9e',
  certifierOrganization: '7a9c1e3b-5d7f-4a9c-8e1b-3c5e7a9b1d4f',
  certifierCertificate: '5c7e9a1d-3f5b-4c7e-9a2d-4e6a8c0b2d5f',
  subscription: '0a2c4e6f-8b1d-4f3a-9c5e-7b9d1f3a5c7e',
  delivery: 'f1e3d5c7-b9a1-4c3e-8d5f-7a9c1e3b5d7f',
  endpoint: '0a2c4e6f-8b1d-4f3a-9c5e-7a9b1d3f5c7e',
  check: '2b4d6f8a-0c2e-4a5b-8d7f-9b1c3e5a7d9f',
  alert: '5c7e9a1b-3d5f-4b7c-a9d1-2e4f6b8d0a3c',
};
const base = 'https://pki.example.org';
const san = 'https://fhir.riverside-health.example.org/r4';
const operatorActor = `user:ops@example.org:${ids.operator}`;
const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const leafPem = pem('CERTIFICATE', 'MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw\nSjELMAkGA1UEBhMCVVMxGTAXBgNVBAoMEEFuY2hvcmFnZSBEZW1vIENBMSAwHgYD');
const issuingPem = pem('CERTIFICATE', 'MIICGzCCAcGgAwIBAgIUK9mX2Lq5vT8wR3nYc1dHf0sJb6owCgYIKoZIzj0EAwIw\nSDELMAkGA1UEBhMCVVMxGTAXBgNVBAoMEEFuY2hvcmFnZSBEZW1vIENB');

export const communityExample: CommunityView = {
  id: ids.community,
  uri: 'udap://riverside-network.example.org/',
  name: 'Riverside Health Network',
  policy: {
    allowedLeafKeyTypes: ['RSA-2048', 'EC-P256'], maxLeafValidityDays: 365, crlLifetimeSeconds: 86400, allowGeneratedKeys: false,
    requireEndpointControl: true, autoApproveVerifiedRequests: false, requireRsaChain: false,
  },
  rootCaId: ids.rootCa,
  issuingCaId: ids.issuingCa,
  warnings: [],
  exchangePurposes: [],
  createdAt: '2026-01-12T09:30:00.000Z',
};

export const issuingCaExample: CaView = {
  id: ids.issuingCa,
  communityId: ids.community,
  role: 'issuing',
  status: 'active',
  subject: 'CN=Riverside Health Network Issuing CA 1, O=Riverside Health Network, C=US',
  keyType: 'EC-P256',
  notBefore: '2026-01-12T09:30:00.000Z',
  notAfter: '2031-01-12T09:30:00.000Z',
  certificateUrl: `${base}/pki/ca/${ids.issuingCa}.cer`,
  crlUrl: `${base}/pki/crl/${ids.issuingCa}.crl`,
  certificatePem: issuingPem,
  csrPem: null,
  sha256: '5d2c0a6b7e1f44c8a09b3e7d61f2c4a8b0e9d3f5a7c1b2e4d6f8a0c2e4b6d8f0',
  revokedAt: null,
};

export const rootCaExample: CaView = {
  ...issuingCaExample,
  id: ids.rootCa,
  role: 'root',
  subject: 'CN=Riverside Health Network Root CA, O=Riverside Health Network, C=US',
  notAfter: '2046-01-12T09:30:00.000Z',
  certificateUrl: `${base}/pki/ca/${ids.rootCa}.cer`,
  crlUrl: `${base}/pki/crl/${ids.rootCa}.crl`,
  sha256: '0b8e2f64c1a9d7e35f0c4b8a2d6e1f9c7a3b5d0e8f2c4a6b1d3e5f7a9c0b2d4e',
};

export const crlExample: CrlView = {
  caId: ids.issuingCa,
  crlNumber: '42',
  thisUpdate: '2026-03-02T08:00:00.000Z',
  nextUpdate: '2026-03-03T08:00:00.000Z',
  entryCount: 3,
  sha256: '5f2b9c0e7d41a8b3c6e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f',
  url: `${base}/pki/crl/${ids.issuingCa}.crl`,
};

export const profileExample: OrganizationProfile = {
  legalName: 'Riverside Community Hospital, Inc.',
  identifiers: [{ type: 'NPI', value: '1234567893' }],
  address: { lines: ['100 River Road'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  technicalContact: { name: 'Dana Ortiz', email: 'dana.ortiz@riverside-health.example.org', phone: '+1 217 555 0100' },
  securityContact: { name: 'Sam Lee', email: 'security@riverside-health.example.org' },
  requestedSanUris: [san],
};

export const organizationExample: OrganizationView = {
  id: ids.organization,
  communityId: ids.community,
  name: 'Riverside Community Hospital',
  sanUris: [san],
  status: 'active',
  statusReason: null,
  profile: profileExample,
  profileRevision: 1,
  submittedAt: '2026-01-20T14:02:11.000Z',
  reviewedAt: '2026-01-21T10:15:00.000Z',
  createdAt: '2026-01-19T16:40:00.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
};

export const certificateExample: CertificateView = {
  id: ids.certificate,
  issuerId: ids.issuingCa,
  organizationId: ids.organization,
  serial: '47766434d1f4369a3f2c55c7dc93aa2f0e79c4e9',
  profile: 'udap-server',
  status: 'issued',
  subject: 'CN=Riverside Community Hospital FHIR server, O=Riverside Community Hospital, C=US',
  sanUris: [san],
  notBefore: '2026-02-01T12:00:00.000Z',
  notAfter: '2027-02-01T12:00:00.000Z',
  revokedAt: null,
  expiredAt: null,
  revocationReason: null,
  pem: leafPem,
  chainPem: `${leafPem}${issuingPem}`,
  derBase64: 'MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw',
  x5c: ['MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw', 'MIICGzCCAcGgAwIBAgIUK9mX2Lq5vT8wR3nYc1dHf0sJb6owCgYIKoZIzj0EAwIw'],
  crlUrl: `${base}/pki/crl/${ids.issuingCa}.crl`,
  caIssuersUrl: `${base}/pki/ca/${ids.issuingCa}.cer`,
};

export const certificateRequestExample: CertificateRequestView = {
  id: ids.request,
  organizationId: ids.organization,
  profile: 'udap-client',
  sanUris: ['https://apps.riverside-health.example.org/patient-portal'],
  keyType: 'RSA-2048',
  csrPem: pem('CERTIFICATE REQUEST', 'MIICijCCAXICAQAwRTELMAkGA1UEBhMCVVMxJDAiBgNVBAoMG1JpdmVyc2lkZSBD'),
  status: 'submitted',
  reason: null,
  requestId: 'portal-2026-02',
  renewalOf: null,
  requestedBy: `user:dana.ortiz@riverside-health.example.org:${ids.member}`,
  createdAt: '2026-02-10T09:12:45.000Z',
  decidedBy: null,
  decidedAt: null,
  certificateId: null,
};

export const userExample: UserView = {
  id: ids.member,
  email: 'dana.ortiz@riverside-health.example.org',
  displayName: 'Dana Ortiz',
  role: 'member-admin',
  organizationId: ids.organization,
  communities: [],
  totpEnabled: true,
  lockedUntil: null,
  disabled: false,
  createdAt: '2026-01-19T17:05:00.000Z',
};

export const operatorExample: UserView = {
  ...userExample, id: ids.operator, email: 'ops@example.org', displayName: 'Network Operator', role: 'operator', organizationId: null, communities: 'all',
};

export const invitationExample: InvitationView = {
  id: ids.invitation,
  organizationId: ids.organization,
  email: 'dana.ortiz@riverside-health.example.org',
  invitedBy: operatorActor,
  createdAt: '2026-01-19T16:41:00.000Z',
  expiresAt: '2026-01-26T16:41:00.000Z',
  state: 'pending',
};

export const endpointCheckExample: EndpointCheckView = {
  organizationId: ids.organization,
  uri: san,
  token: 'anchorage-endpoint-check=q3Jm8Vx2Lr5tN0bW7cYd1eFg4hKs6pUa',
  publishAt: `${san}/.well-known/anchorage-endpoint-check`,
  status: 'verified',
  checkedAt: '2026-01-20T15:00:02.000Z',
  verifiedAt: '2026-01-20T15:00:02.000Z',
  lastError: null,
};

export const bulkRevocationExample: BulkRevocationView = {
  id: ids.bulk,
  communityId: ids.community,
  organizationId: ids.organization,
  caId: null,
  reason: 'privilegeWithdrawn',
  cause: 'organization-suspended',
  status: 'completed',
  total: 12,
  revoked: 12,
  batches: 1,
  crlNumbers: { [ids.issuingCa]: '43' },
  requestedBy: operatorActor,
  createdAt: '2026-03-05T11:00:00.000Z',
  startedAt: '2026-03-05T11:00:01.000Z',
  finishedAt: '2026-03-05T11:00:03.000Z',
  lastError: null,
};

export const queuesExample: QueuesView = {
  queues: [
    { name: 'anchorage-revocation', counts: { waiting: 0, active: 1, delayed: 0, failed: 0, completed: 57, paused: 0 } },
    { name: 'anchorage-notices', counts: { waiting: 2, active: 0, delayed: 1, failed: 1, completed: 310, paused: 0 } },
  ],
  outbox: { unrelayed: 0, oldestUnrelayedSeconds: 0, relayedIncomplete: 1 },
};

export const failedJobExample: FailedJobView = {
  id: `expiry-notice.${ids.notice}`,
  queue: 'anchorage-notices',
  name: 'expiry-notice',
  failedReason: 'webhook https://ops.riverside-health.example.org/hooks/anchorage failed (timeout); retried with backoff',
  attemptsMade: 5,
  attempts: 5,
  data: { noticeId: ids.notice },
  createdAt: '2026-03-01T06:00:00.000Z',
  failedAt: '2026-03-01T07:31:12.000Z',
};

export const expiryNoticeExample: ExpiryNoticeView = {
  id: ids.notice,
  subjectType: 'certificate',
  certificateId: ids.certificate,
  caId: null,
  organizationId: ids.organization,
  communityId: ids.community,
  thresholdDays: 30,
  notAfter: '2027-02-01T12:00:00.000Z',
  createdAt: '2027-01-02T12:00:00.000Z',
  emailTo: ['dana.ortiz@riverside-health.example.org'],
  emailSentAt: '2027-01-02T12:00:04.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
  webhookDeliveredAt: '2027-01-02T12:00:05.000Z',
  webhookAttempts: 1,
  lastError: null,
};

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

export const dashboardExample: DashboardView = {
  pendingRequests: 3,
  organizationsAwaitingReview: 1,
  crls: [{
    caId: ids.issuingCa, caSubject: issuingCaExample.subject, caRole: 'issuing', communityId: ids.community, caStatus: 'active', external: false,
    crlNumber: '42', nextUpdate: '2026-03-03T08:00:00.000Z', secondsUntilNextUpdate: 51840, entryCount: 3,
  }],
  expiringSoon: {
    withinDays: 30, total: 1,
    certificates: [{ id: ids.certificate, serial: certificateExample.serial, organizationId: ids.organization, sanUris: [san], notAfter: '2026-03-20T12:00:00.000Z' }],
  },
};

export const auditEventExample: AuditEventView = {
  seq: '1207',
  chainSeq: '1207',
  at: '2026-03-05T11:00:00.000Z',
  actor: operatorActor,
  action: 'organization.suspended',
  subjectType: 'organization',
  subjectId: ids.organization,
  data: { reason: 'Contract ended', bulkRevocationId: ids.bulk },
  prevHash: '0c7d1e9a5b3f2e8d4c6a1b0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
  hash: '8b1f6e2d9c4a7b3e0f5d8c1a6b9e2f4d7c0a3b5e8f1d4c6a9b2e5f8d1c4a7b0e',
};

export const auditVerificationExample: AuditVerificationView = {
  ok: true,
  checked: 1207,
  lastSeq: '1207',
  lastHash: auditEventExample.hash!,
  checkpoints: [{
    source: 'stored', seq: '1200', hash: 'f3a9c1e7b5d2f8a4c6e0b9d3f7a1c5e9b2d6f0a4c8e3b7d1f5a9c2e6b0d4f8a1', count: '1200',
    signedAt: '2026-03-05T10:50:00.000Z', keyId: 'audit-2026-01',
  }],
  unlinked: { count: 0, overdue: 0 },
};

export const exampleIds = ids;

/** An operator API token as listed. */
export const apiTokenExample: ApiTokenView = {
  id: 'f3b0c1d2-5a6e-4f70-8a91-b2c3d4e5f607',
  name: 'nightly CRL check',
  status: 'active',
  createdAt: '2026-02-01T08:00:00.000Z',
  createdBy: `user:ops@example.org:${ids.operator}`,
  lastUsedAt: '2026-02-03T02:00:00.000Z',
  expiresAt: '2026-05-02T08:00:00.000Z',
  revokedAt: null,
  revokedBy: null,
};

export const certificationTemplateExample: CertificationTemplateView = {
  id: ids.template,
  communityId: ids.community,
  name: 'TEFCA Basic App Certification',
  uris: ['https://rce.sequoiaproject.org/udap/profiles/basic-app-certification'],
  logoUri: null,
  description: 'The app meets the TEFCA Basic App criteria for FHIR exchange under the listed exchange purposes.',
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: [],
  responseTypes: ['code'],
  exchangePurposes: ['T-TREAT', 'T-PYMNT', 'T-HCO', 'T-PH', 'T-GOVDTRM', 'T-IAS'],
  isEndorsement: false,
  statusEndpoint: `${base}/pki/communities/${ids.community}/certifications/status`,
  createdBy: operatorActor,
  createdAt: '2026-05-02T10:00:00.000Z',
};

export const certificationExample: CertificationView = {
  id: ids.certification,
  communityId: ids.community,
  templateId: ids.template,
  jti: '3f1d2c8e-6b4a-4e9d-a7c5-0b2e4f6a8c1d',
  iss: 'https://certify.riverside-network.example.org/udap',
  sub: 'https://apps.riverside-health.example.org/b2b-client',
  organizationId: ids.organization,
  certifierCertificateId: ids.certifierCertificate,
  certifierSerial: '4f2a9c1e7b3d5a8c0e6f1b2d4a9c7e3f',
  certifierOrganizationId: ids.certifierOrganization,
  iat: '2026-05-03T12:00:00.000Z',
  exp: '2027-05-03T12:00:00.000Z',
  jwt: 'eyJhbGciOiJSUzI1NiIsIng1YyI6WyJNSUlDLi4uIl19.eyJpc3MiOiJodHRwczovL2NlcnRpZnkucml2ZXJzaWRlLW5ldHdvcmsuZXhhbXBsZS5vcmcvdWRhcCJ9.c2lnbmF0dXJl',
  status: 'active',
  revokedAt: null,
  revocationReason: null,
  revokedBy: null,
  statusEndpoint: `${base}/pki/communities/${ids.community}/certifications/status`,
  createdBy: operatorActor,
  createdAt: '2026-05-03T12:05:00.000Z',
};

export const platformCertifierExample: PlatformCertifierView = {
  id: '9c1e3a5b-7d9f-4b1c-8e3a-5c7e9a1b3d6f',
  communityId: ids.community,
  organizationId: ids.certifierOrganization,
  certificateId: ids.certifierCertificate,
  sanUri: 'https://certify.riverside-network.example.org/udap',
  notAfter: '2027-05-01T00:00:00.000Z',
  createdBy: operatorActor,
  createdAt: '2026-05-01T00:00:00.000Z',
};

export const conformanceEndpointExample: ConformanceEndpointView = {
  id: ids.endpoint,
  communityId: ids.community,
  organizationId: ids.organization,
  baseUrl: san,
  metadataUrl: `${san}/.well-known/udap?community=udap%3A%2F%2Ffhir.example.org%2F`,
  status: 'failing',
  statusSince: '2026-12-04T10:00:01.000Z',
  lastCheckedAt: '2026-12-04T10:00:01.000Z',
  lastPassingAt: '2026-12-04T09:00:00.000Z',
  consecutiveFailures: 1,
  nextDueAt: '2026-12-04T11:00:00.000Z',
  certificatesGoneAt: '2026-12-04T09:41:12.000Z',
  retiredAt: null,
  errorCodes: ['revoked'],
  warningCodes: [],
};

export const conformanceCheckExample: ConformanceCheckView = {
  id: ids.check,
  endpointId: ids.endpoint,
  checkedAt: '2026-12-04T10:00:01.000Z',
  status: 'failing',
  trigger: 'schedule',
  requestedBy: 'worker',
  findings: [{
    code: 'revoked', severity: 'error', section: 'udap.org Server Metadata §3.2; RFC 5280 §6.3', depth: 0,
    message: 'the leaf certificate "CN=fhir.riverside-health.example.org" (serial 5f3a9c) was revoked at 2026-12-04T09:41:12.000Z (keyCompromise)',
  }],
  signerSerial: '5f3a9c0d1e2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d',
  signerCertificateId: ids.certificate,
  durationMs: 48,
  httpStatus: 200,
};

export const conformanceAlertExample: ConformanceAlertView = {
  id: ids.alert,
  endpointId: ids.endpoint,
  checkId: ids.check,
  organizationId: ids.organization,
  communityId: ids.community,
  baseUrl: san,
  codes: ['revoked'],
  lastPassingAt: '2026-12-04T09:00:00.000Z',
  createdAt: '2026-12-04T10:00:01.000Z',
  emailTo: ['dana.ortiz@riverside-health.example.org', 'ops@example.org'],
  emailSentAt: '2026-12-04T10:00:03.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
  webhookDeliveredAt: '2026-12-04T10:00:03.000Z',
  webhookAttempts: 1,
  lastError: null,
};

const kitBase = `https://pki.anchorage.example.org/pki/communities/${ids.community}/test-kit`;
const kitCa = (name: string, cn: string, sha256: string) => ({
  subject: `CN=${cn}, O=Riverside Health Network TEST, OU=TEST ONLY - not for production`, sha256, notAfter: '2046-02-01T09:00:00.000Z',
  certificateUrl: `${kitBase}/${name}.cer`, pemUrl: `${kitBase}/${name}.pem`, crlUrl: `${kitBase}/${name}.crl`,
});
const kitFiles = (id: string) => ({
  certificate: `${kitBase}/cases/${id}/certificate.cer`, certificatePem: `${kitBase}/cases/${id}/certificate.pem`, chain: `${kitBase}/cases/${id}/chain.pem`,
  privateKey: `${kitBase}/cases/${id}/key.pem`, softwareStatement: `${kitBase}/cases/${id}/software-statement.jwt`,
});
export const testKitExample: TestKitView = {
  communityId: ids.community,
  communityUri: 'udap://riverside-network.example.org/',
  notice: 'TEST ONLY. These certificates and their private keys are published so relying servers can be tested against them; trust the TEST anchor in a test environment only, never next to the community\'s production anchors.',
  generation: 1,
  generatedAt: '2026-02-01T09:00:00.000Z',
  validUntil: '2026-03-03T09:00:00.000Z',
  url: kitBase,
  anchor: kitCa('anchor', 'Riverside Health Network TEST anchor', '5be2c4a1f0d3e6b7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5'),
  issuingCa: kitCa('issuing', 'Riverside Health Network TEST issuing CA', '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0'),
  untrustedRoot: { ...kitCa('untrusted', 'Riverside Health Network TEST untrusted root (never an anchor)', '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9'), note: 'never a trust anchor: the untrusted-root case chains to it' },
  softwareStatements: {
    aud: 'https://fhir.example.org/oauth/register',
    note: 'The pre-signed statements name aud https://fhir.example.org/oauth/register and expire 5 minutes after generatedAt; add ?aud=<your registration endpoint> to a softwareStatement link for one signed now, or sign your own with the case\'s private key',
  },
  cases: [
    {
      id: 'valid', title: 'Valid (positive control)', deviation: 'nothing: a udap-client certificate under the TEST issuing CA, x5c with the intermediate, iss equal to the SAN URI, RS256',
      iss: `${kitBase}/clients/valid`, sanUris: [`${kitBase}/clients/valid`], keyType: 'RSA-2048', alg: 'RS256',
      expected: {
        outcome: 'accept', registration: '201 with a client_id', tokenEndpoint: '200 with an access token', check: 'every check passes; a server that rejects this one rejects everything',
        findings: [], openssl: { passes: true }, section: 'UDAP STU2 §3.1, §5.2.3',
      },
      files: kitFiles('valid'),
    },
    {
      id: 'revoked', title: 'Revoked certificate', deviation: 'the leaf is listed (keyCompromise) on the TEST issuing CA\'s CRL',
      iss: `${kitBase}/clients/revoked`, sanUris: [`${kitBase}/clients/revoked`], keyType: 'RSA-2048', alg: 'RS256',
      expected: {
        outcome: 'reject', registration: '400 {"error":"invalid_software_statement"}', tokenEndpoint: '400 {"error":"invalid_client"} (401 if the client authenticated with HTTP Basic)',
        check: 'revocation status from the CRL at the leaf\'s CDP', findings: ['revoked'], openssl: { passes: false, error: 'certificate revoked' }, section: 'RFC 5280 §6.3',
      },
      files: kitFiles('revoked'),
    },
  ],
};

export const organizationImpactExample: OrganizationImpactView = {
  organizationId: ids.organization,
  name: 'Riverside Community Hospital',
  status: 'submitted',
  at: '2026-01-21T10:14:30.000Z',
  certificates: { live: 0, onHold: 0, toRevoke: 0 },
  profileRevision: 2,
  sanUris: [
    { uri: san, alreadyBound: false, check: 'verified', lastError: null, checkedAt: '2026-01-20T15:00:02.000Z' },
    { uri: 'https://fhir.riverside-health.example.org/r5', alreadyBound: false, check: 'failed', lastError: 'bad-token', checkedAt: '2026-01-20T15:01:10.000Z' },
  ],
};

export const caImpactExample: CaImpactView = {
  caId: ids.issuingCa,
  subject: issuingCaExample.subject,
  role: 'issuing',
  status: 'active',
  at: '2026-03-02T08:00:00.000Z',
  certificates: { live: 41, onHold: 1, toRevoke: 44 },
  parent: { id: ids.rootCa, subject: rootCaExample.subject, offline: false },
  revokedOnParentCrl: true,
};

export const activityReportExample: ActivityReportView = {
  days: 3, from: '2026-03-01', to: '2026-03-03', totals: { issued: 7, revoked: 1 },
  series: [{ day: '2026-03-01', issued: 4, revoked: 0 }, { day: '2026-03-02', issued: 0, revoked: 1 }, { day: '2026-03-03', issued: 3, revoked: 0 }],
};

export const crlReportExample: CrlReportView = {
  days: 30,
  cas: [{
    caId: ids.issuingCa, caSubject: issuingCaExample.subject, caRole: 'issuing', communityId: ids.community, caStatus: 'active',
    crls: [
      { crlNumber: '41', thisUpdate: '2026-02-24T08:00:00.000Z', nextUpdate: '2026-03-03T08:00:00.000Z', entryCount: 2, bytes: 612, lifetimeSeconds: 604800, secondsLeftAtReplacement: 86400 },
      { crlNumber: '42', thisUpdate: '2026-03-02T08:00:00.000Z', nextUpdate: '2026-03-09T08:00:00.000Z', entryCount: 3, bytes: 655, lifetimeSeconds: 604800, secondsLeftAtReplacement: null },
    ],
  }],
};

export const expiryReportExample: ExpiryReportView = {
  weeks: 2, total: 3,
  series: [
    { week: 0, from: '2026-03-02T08:00:00.000Z', to: '2026-03-09T08:00:00.000Z', count: 1 },
    { week: 1, from: '2026-03-09T08:00:00.000Z', to: '2026-03-16T08:00:00.000Z', count: 2 },
  ],
};

export const communityHierarchyExample: CommunityHierarchyView = {
  communityId: ids.community,
  cas: [
    { id: ids.rootCa, role: 'root', parentId: null, subject: rootCaExample.subject, status: 'active', keyType: 'EC-P256', external: false, sha256: rootCaExample.sha256, notAfter: rootCaExample.notAfter, leaves: { active: 0, revoked: 0, expired: 0 } },
    { id: ids.issuingCa, role: 'issuing', parentId: ids.rootCa, subject: issuingCaExample.subject, status: 'active', keyType: 'EC-P256', external: false, sha256: issuingCaExample.sha256, notAfter: issuingCaExample.notAfter, leaves: { active: 12, revoked: 2, expired: 1 } },
  ],
  trustBundleUrl: `${base}/pki/communities/${ids.community}/trust-bundle.pem`,
};
