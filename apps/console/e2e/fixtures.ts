// Fixed records shaped like the API's wire types, served by the stand-in API of the browser test.
import { communityWarnings, ENDPOINT_CHECK_FAILURES, userActorId } from '@anchorage/contracts';
import type {
  BulkRevocationView, CaView, CertificateRequestView, CertificateView, CommunityView, CrlView, DashboardView, EndpointCheckView, FailedJobView, InvitationView,
  OrganizationProfile, OrganizationView, QueuesView, UserView,
} from '@anchorage/contracts';

const PKI = 'http://127.0.0.1/pki';
const pem = (label: string) => `-----BEGIN CERTIFICATE-----\nMIIB${label}FAKEFIXTUREDATA0000000000000000000000000000000000000000\n-----END CERTIFICATE-----\n`;

/** Ids used by the fixtures (UUIDs, as the API's ParseUUIDPipe requires). */
export const ids = {
  community: '11111111-1111-4111-8111-111111111111',
  rootCa: '22222222-2222-4222-8222-222222222221',
  issuingCa: '22222222-2222-4222-8222-222222222222',
  org: '33333333-3333-4333-8333-333333333333',
  otherOrg: '33333333-3333-4333-8333-333333333334',
  revokedElsewhere: '44444444-4444-4444-8444-444444444441',
  onHold: '44444444-4444-4444-8444-444444444442',
  revocable: '44444444-4444-4444-8444-444444444443',
  otherOrgCert: '44444444-4444-4444-8444-444444444444',
  expiredCert: '44444444-4444-4444-8444-444444444445',
  operator: '55555555-5555-4555-8555-555555555551',
  auditor: '55555555-5555-4555-8555-555555555552',
  memberAdmin: '55555555-5555-4555-8555-555555555553',
  lockedAuditor: '55555555-5555-4555-8555-555555555554',
  draftAdmin: '55555555-5555-4555-8555-555555555555',
  draftOrg: '33333333-3333-4333-8333-333333333335',
  submittedOrg: '33333333-3333-4333-8333-333333333336',
  pendingInvitation: '77777777-7777-4777-8777-777777777771',
  acceptedInvitation: '77777777-7777-4777-8777-777777777772',
  waitingRequest: '88888888-8888-4888-8888-888888888881',
  issuedRequest: '88888888-8888-4888-8888-888888888882',
  rejectedRequest: '88888888-8888-4888-8888-888888888883',
  lapsedCommunity: '11111111-1111-4111-8111-111111111119',
  lapsedCa: '22222222-2222-4222-8222-222222222229',
  bulkDone: '99999999-0000-4000-8000-000000000001',
  bulkRunning: '99999999-0000-4000-8000-000000000002',
  bulkFailed: '99999999-0000-4000-8000-000000000003',
};

const ca = (id: string, role: CaView['role'], subject: string): CaView => ({
  id, communityId: ids.community, role, status: 'active', subject, keyType: 'EC-P256',
  notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2035-01-01T00:00:00.000Z',
  certificateUrl: `${PKI}/ca/${id}.crt`, crlUrl: `${PKI}/crl/${id}.crl`, certificatePem: pem('ROOT'), csrPem: null, revokedAt: null,
  sha256: id.replace(/-/g, '').padEnd(64, '0'),
});

/** The root and issuing CA of the fixture community. */
export const cas: CaView[] = [
  ca(ids.rootCa, 'root', 'CN=Example Trust Community Root CA'),
  ca(ids.issuingCa, 'issuing', 'CN=Example Trust Community Issuing CA'),
];

/** The one fixture community; its CAs are EC-P256, so it carries the warning the API derives from them. */
export const communities: CommunityView[] = [{
  id: ids.community, uri: 'https://trust.example.org/community', name: 'Example Trust Community',
  policy: { allowedLeafKeyTypes: ['EC-P256', 'RSA-2048'], maxLeafValidityDays: 365, crlLifetimeSeconds: 86400, allowGeneratedKeys: false },
  rootCaId: ids.rootCa, issuingCaId: ids.issuingCa, warnings: communityWarnings(cas), exchangePurposes: [], createdAt: '2025-01-01T00:00:00.000Z',
}];

const org = (id: string, name: string, sanUri: string): OrganizationView => ({
  id, communityId: ids.community, name, sanUris: [sanUri],
  status: 'active', statusReason: null, profile: {}, profileRevision: 0, submittedAt: null, reviewedAt: null, createdAt: '2025-02-01T00:00:00.000Z', webhookUrl: null,
});

/** The profile Pending Pharmacy submitted (what an operator reviews). */
export const submittedProfile: OrganizationProfile = {
  legalName: 'Pending Pharmacy LLC',
  identifiers: [{ type: 'NPI', value: '1234567893' }],
  address: { lines: ['1 Main St'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  technicalContact: { name: 'Tess Tech', email: 'tess@pharmacy.example' },
  securityContact: { name: 'Sam Secure', email: 'sam@pharmacy.example', phone: '+1 555 0100' },
  requestedSanUris: ['https://fhir.pharmacy.example/r4'],
};

/**
 * The fixture member organizations: the member admin's, another one it must not see, a draft whose
 * member admin completes the profile, and one awaiting review.
 */
export const organizations: OrganizationView[] = [
  org(ids.org, 'Sunrise Clinic', 'https://fhir.sunrise.example/r4'),
  org(ids.otherOrg, 'Harbor Labs', 'https://fhir.harbor.example/r4'),
  { ...org(ids.draftOrg, 'Draft Dental', ''), sanUris: [], status: 'draft' },
  {
    ...org(ids.submittedOrg, 'Pending Pharmacy', ''), sanUris: [], status: 'submitted', profile: submittedProfile, profileRevision: 2, submittedAt: '2025-06-01T10:00:00.000Z',
  },
];

/** Invitations: one pending (to a new contact of Pending Pharmacy), one accepted (Draft Dental's admin). */
export const invitations: InvitationView[] = [
  {
    id: ids.pendingInvitation, organizationId: ids.submittedOrg, email: 'pat@pharmacy.example', invitedBy: ids.operator,
    createdAt: '2025-06-01T09:00:00.000Z', expiresAt: '2099-06-08T09:00:00.000Z', state: 'pending',
  },
  {
    id: ids.acceptedInvitation, organizationId: ids.draftOrg, email: 'dana@draft.example', invitedBy: ids.operator,
    createdAt: '2025-05-01T09:00:00.000Z', expiresAt: '2025-05-08T09:00:00.000Z', state: 'accepted',
  },
];

/** Invitation tokens the stand-in knows: a live one, and one already used. */
export const INVITATION_TOKEN = 'ani_live_invitation_token';
export const USED_INVITATION_TOKEN = 'ani_used_invitation_token';
/** Who the live token invites. */
export const invited = { email: 'nina@draft.example', organizationName: 'Draft Dental', organizationId: ids.draftOrg, expiresAt: '2099-01-08T09:00:00.000Z' };

const cert = (id: string, serial: string, status: CertificateView['status'], organizationId = ids.org): CertificateView => ({
  id, issuerId: ids.issuingCa, organizationId, serial, profile: 'udap-client', status,
  subject: organizationId === ids.org ? 'CN=Sunrise Clinic' : 'CN=Harbor Labs',
  sanUris: [organizations.find((o) => o.id === organizationId)!.sanUris[0]],
  notBefore: '2025-03-01T00:00:00.000Z', notAfter: '2026-03-01T00:00:00.000Z', revokedAt: null, expiredAt: null, revocationReason: null,
  pem: pem('LEAF'), chainPem: pem('LEAF') + pem('ISSUING'), derBase64: 'MIIBLEAF', x5c: ['MIIBLEAF', 'MIIBISSUING'],
  crlUrl: `${PKI}/crl/${ids.issuingCa}.crl`, caIssuersUrl: `${PKI}/ca/${ids.issuingCa}.crt`,
});

/**
 * Leaf certificates. 0a1b shows as issued but the stand-in answers 409 already-revoked when it is revoked:
 * another operator revoked it after this console loaded it. 0f4a revokes; 0e3f is Harbor Labs', and so is
 * 0d5e, still issued but past its notAfter (the daily expiry scan marked it expired).
 */
export const certificates: CertificateView[] = [
  cert(ids.revokedElsewhere, '0a1b', 'issued'),
  { ...cert(ids.onHold, '0c2d', 'on-hold'), revokedAt: '2025-06-01T00:00:00.000Z', revocationReason: 'certificateHold' },
  cert(ids.revocable, '0f4a', 'issued'),
  cert(ids.otherOrgCert, '0e3f', 'issued', ids.otherOrg),
  { ...cert(ids.expiredCert, '0d5e', 'issued', ids.otherOrg), notBefore: '2024-06-01T00:00:00.000Z', notAfter: '2025-06-01T00:00:00.000Z', expiredAt: '2025-06-02T03:00:00.000Z' },
];

const request = (id: string, status: CertificateRequestView['status'], extra: Partial<CertificateRequestView> = {}): CertificateRequestView => ({
  id, organizationId: ids.org, profile: 'udap-client', sanUris: ['https://fhir.sunrise.example/r4'], keyType: 'EC-P256',
  csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIBFIXTURE\n-----END CERTIFICATE REQUEST-----\n', status, reason: null, requestId: null, renewalOf: null,
  requestedBy: ids.memberAdmin, createdAt: '2025-06-01T00:00:00.000Z', decidedBy: null, decidedAt: null, certificateId: null, ...extra,
});

/** Sunrise Clinic's certificate requests: one waiting, one issued (0f4a), one rejected. */
export const certificateRequests: CertificateRequestView[] = [
  request(ids.waitingRequest, 'submitted', { profile: 'udap-idp', keyType: 'RSA-2048', createdAt: '2025-06-03T00:00:00.000Z' }),
  request(ids.issuedRequest, 'issued', { decidedBy: ids.operator, decidedAt: '2025-06-02T00:00:00.000Z', certificateId: ids.revocable, createdAt: '2025-06-02T00:00:00.000Z' }),
  request(ids.rejectedRequest, 'rejected', { reason: 'the SAN is not yours', decidedBy: ids.operator, decidedAt: '2025-06-01T12:00:00.000Z' }),
];

/** Endpoint checks the stand-in starts: this token, and a run that fails with this reason. */
export const endpointCheck = (organizationId: string, uri: string): EndpointCheckView => ({
  organizationId, uri, token: `anchorage-endpoint-check=stand-in-token-${uri.length}`, publishAt: `${uri.replace(/\/+$/, '')}/.well-known/anchorage-endpoint-check`,
  status: 'pending', checkedAt: null, verifiedAt: null, lastError: null,
});
export const ENDPOINT_CHECK_ERROR = 'dns-failure' as const;
/** A check of a URI on a host whose name starts with `verified.` passes instead. */
export const VERIFIED_HOST = /^https:\/\/verified\./;
/** What the console shows for it. */
export const ENDPOINT_CHECK_ERROR_TEXT = ENDPOINT_CHECK_FAILURES[ENDPOINT_CHECK_ERROR];

/** The CRL the stand-in reports after a successful revocation or release. */
export const crl: CrlView = {
  caId: ids.issuingCa, crlNumber: '7', thisUpdate: '2025-06-02T00:00:00.000Z', nextUpdate: '2025-06-03T00:00:00.000Z',
  entryCount: 0, sha256: '00'.repeat(32), url: `${PKI}/crl/${ids.issuingCa}.crl`,
};

/** The issuing CA's CRL history, newest first (what GET /cas/:id/crls lists). */
export const crlHistory: CrlView[] = [
  crl,
  { ...crl, crlNumber: '6', thisUpdate: '2025-06-01T00:00:00.000Z', nextUpdate: '2025-06-02T00:00:00.000Z', entryCount: 2, sha256: '11'.repeat(32) },
];

/** The bytes the stand-in serves for CRL number `n` (not a real CRL: the test compares the bytes). */
export const crlDer = (n: string): Buffer => Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00, 0x00, 0xff, 0x80]), Buffer.from(`stand-in CRL #${n}`, 'latin1')]);

/** An operator of every community's dashboard: the root CA's CRL is fresh, the issuing CA's has 5 h left, another community's expired an hour ago. */
export const operatorDashboard: DashboardView = {
  pendingRequests: 3,
  organizationsAwaitingReview: 1,
  crls: [
    { caId: ids.rootCa, caSubject: 'CN=Example Trust Community Root CA', caRole: 'root', communityId: ids.community, caStatus: 'active', external: false, crlNumber: '12', nextUpdate: '2099-01-01T00:00:00.000Z', secondsUntilNextUpdate: 20 * 86_400, entryCount: 0 },
    { caId: ids.issuingCa, caSubject: 'CN=Example Trust Community Issuing CA', caRole: 'issuing', communityId: ids.community, caStatus: 'active', external: false, crlNumber: '7', nextUpdate: '2099-01-01T05:00:00.000Z', secondsUntilNextUpdate: 5 * 3600, entryCount: 1 },
    { caId: '22222222-2222-4222-8222-222222222229', caSubject: 'CN=Lapsed Community Issuing CA', caRole: 'issuing', communityId: '11111111-1111-4111-8111-111111111119', caStatus: 'active', external: false, crlNumber: '3', nextUpdate: '2025-01-01T00:00:00.000Z', secondsUntilNextUpdate: -3600, entryCount: 4 },
  ],
  expiringSoon: {
    withinDays: 30, total: 1,
    certificates: [{ id: ids.revocable, serial: '0f4a', organizationId: ids.org, sanUris: ['https://fhir.sunrise.example/r4'], notAfter: '2099-01-20T00:00:00.000Z' }],
  },
};

/** A member admin's dashboard: its organization's figures only. */
export const memberDashboard: DashboardView = {
  ...operatorDashboard, pendingRequests: 1, organizationsAwaitingReview: 0, crls: operatorDashboard.crls.slice(0, 2),
};

/** The audit chain: 60 events, alternating certificate and organization actions by the operator and the auditor. */
export const auditEvents = Array.from({ length: 60 }, (_, i) => ({
  seq: String(i + 1),
  at: new Date(Date.UTC(2025, 5, 1, 0, i)).toISOString(),
  actor: i % 3 === 0 ? ids.auditor : ids.operator,
  action: i % 2 === 0 ? 'certificate.issued' : 'organization.approved',
  subjectType: i % 2 === 0 ? 'certificate' : 'organization',
  subjectId: i % 2 === 0 ? ids.revocable : ids.org,
  data: i === 41 ? { reason: 'needle in the payload', serial: '0f4a' } : {},
  chainSeq: String(i + 1),
  prevHash: (i === 0 ? '0' : String(i % 10)).repeat(64),
  hash: String((i + 1) % 10).repeat(64),
}));

const user = (id: string, email: string, displayName: string, role: UserView['role'], extra: Partial<UserView> = {}): UserView => ({
  id, email, displayName, role, organizationId: null, communities: [], totpEnabled: false, lockedUntil: null, disabled: false,
  createdAt: '2025-01-15T00:00:00.000Z', ...extra,
});

/** People who sign in: an operator of every community and an auditor (with TOTP, as they must), Sunrise Clinic's member admin, a locked auditor, and Draft Dental's member admin. */
export const users: UserView[] = [
  user(ids.operator, 'olivia@anchorage.example', 'Olivia Operator', 'operator', { communities: 'all', totpEnabled: true }),
  user(ids.auditor, 'aldo@anchorage.example', 'Aldo Auditor', 'auditor', { totpEnabled: true }),
  user(ids.memberAdmin, 'mia@sunrise.example', 'Mia Member', 'member-admin', { organizationId: ids.org }),
  user(ids.lockedAuditor, 'lars@anchorage.example', 'Lars Locked', 'auditor', { totpEnabled: true, lockedUntil: '2099-01-01T00:00:00.000Z' }),
  user(ids.draftAdmin, 'dana@draft.example', 'Dana Draft', 'member-admin', { organizationId: ids.draftOrg }),
];

/** Another community's issuing CA (the one of the lapsed CRL), retired and still revoking what it issued. */
export const lapsedCa: CaView = {
  ...ca(ids.lapsedCa, 'issuing', 'CN=Lapsed Community Issuing CA'), communityId: ids.lapsedCommunity, status: 'retired', revokedAt: '2025-06-06T00:00:00.000Z',
};

const bulk = (id: string, extra: Partial<BulkRevocationView>): BulkRevocationView => ({
  id, communityId: ids.community, organizationId: null, caId: null, reason: 'privilegeWithdrawn', cause: 'organization-suspended', status: 'queued',
  total: null, revoked: 0, batches: 0, crlNumbers: {}, requestedBy: userActorId('olivia@anchorage.example', ids.operator), createdAt: '2025-06-01T00:00:00.000Z', startedAt: null, finishedAt: null, lastError: null,
  ...extra,
});

/** Bulk revocations: Sunrise Clinic's (an earlier suspension, completed), the lapsed CA's (running), Harbor Labs' (failed). */
export const bulkRevocations: BulkRevocationView[] = [
  bulk(ids.bulkRunning, {
    communityId: ids.lapsedCommunity, caId: ids.lapsedCa, reason: 'cessationOfOperation', cause: 'ca-retired', status: 'running',
    total: 3000, revoked: 1200, batches: 3, createdAt: '2025-06-06T00:00:00.000Z', startedAt: '2025-06-06T00:00:01.000Z',
  }),
  bulk(ids.bulkFailed, {
    organizationId: ids.otherOrg, status: 'failed', total: 120, revoked: 40, batches: 1, createdAt: '2025-06-05T00:00:00.000Z', startedAt: '2025-06-05T00:00:01.000Z',
    finishedAt: '2025-06-05T02:00:00.000Z', lastError: 'Connection terminated unexpectedly',
  }),
  bulk(ids.bulkDone, {
    organizationId: ids.org, reason: 'affiliationChanged', status: 'completed', total: 2, revoked: 2, batches: 1, crlNumbers: { [ids.issuingCa]: '5' },
    createdAt: '2025-05-01T00:00:00.000Z', startedAt: '2025-05-01T00:00:01.000Z', finishedAt: '2025-05-01T00:00:03.000Z',
  }),
];

/** The worker's queues: the revocation queue holds Harbor Labs' failed bulk revocation; two jobs wait in the outbox for 185 s. */
export const queues: QueuesView = {
  queues: [
    { name: 'anchorage-crl', counts: { waiting: 0, active: 0, delayed: 1, failed: 0, completed: 48, paused: 0 } },
    { name: 'anchorage-revocation', counts: { waiting: 0, active: 1, delayed: 0, failed: 1, completed: 7, paused: 0 } },
  ],
  outbox: { unrelayed: 2, oldestUnrelayedSeconds: 185, relayedIncomplete: 1 },
};

/** The failed job behind Harbor Labs' bulk revocation. */
export const failedJobs: FailedJobView[] = [{
  id: `bulk-revoke.${ids.bulkFailed}`, queue: 'anchorage-revocation', name: 'bulk-revoke', failedReason: 'Connection terminated unexpectedly',
  attemptsMade: 20, attempts: 20, data: { bulkRevocationId: ids.bulkFailed }, createdAt: '2025-06-05T00:00:00.000Z', failedAt: '2025-06-05T02:00:00.000Z',
}];

/** What GET /queues says while Redis cannot be reached. */
export const QUEUE_UNAVAILABLE_DETAIL = 'cannot count the jobs: Redis is unreachable (connect ECONNREFUSED 127.0.0.1:6379)';
