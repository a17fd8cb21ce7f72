import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import {
  cancelCertificateRequest, createApiToken, createCommunity, createOrganization, createUser, generateTestKit, issueCertificate, openPlatform, submitCertificateRequest, subscribeToRevocations, totpCode,
  type Actor, type Platform,
} from '@anchorage/authority';
import { BULK_REVOKE, REVOCATION_QUEUE, redisConnection } from '@anchorage/jobs';
import { FakeClock, opensslCsr, startPrivateRedis, tempDir, testPlatformOptions, type PrivateRedis } from '@anchorage/testing';
import { AppModule } from './app.module';
import { startServer, type RunningServer } from './server';
import { nestRoutes } from './testing/routes';

// Every route x every role x own / same-community / foreign target -> the expected status. The
// routes come from Nest's own metadata, so a new endpoint fails this test until it has a row here.
// Writes send a body that fails validation after authorization (or a harmless action), so an
// allowed call shows as its validation status and nothing changes; a row whose allowed call does
// change something puts it back before every call (`before`).

type Principal = 'token' | 'operator' | 'auditor' | 'member' | 'anonymous';
/** Targets: organization A1 (the member's own, in community A, which the operator runs), A2 (another organization of A), B1 (in community B). */
type Target = 'A1' | 'A2' | 'B1';
const TARGETS: Target[] = ['A1', 'A2', 'B1'];

interface Fixture {
  communityId: Record<Target, string>;
  issuingCaId: Record<Target, string>;
  orgId: Record<Target, string>;
  certId: Record<Target, string>;
  serialHex: Record<Target, string>;
  memberUserId: Record<Target, string>;
  invitationId: Record<Target, string>;
  requestId: Record<Target, string>;
  bulkRevocationId: Record<Target, string>;
  spareUserId: Record<Target, string>;
  templateId: Record<Target, string>;
  certificationId: Record<Target, string>;
  certifierId: Record<Target, string>;
  subscriptionId: Record<Target, string>;
  endpointId: Record<Target, string>;
}

interface Row {
  req: (f: Fixture, t: Target) => { path: string; body?: unknown };
  /** Runs before every call of the row. */
  before?: () => Promise<void>;
  /** Status per principal: one for every target, or one per target [A1, A2, B1]. Anonymous is 401 unless given. */
  expect: Partial<Record<Principal, number | [number, number, number]>>;
}

const ROUTES: Record<string, Row> = {
  'POST /api/v1/auth/login': { req: () => ({ path: '/api/v1/auth/login', body: { email: 'nobody@example.org', password: 'not the password' } }), expect: { token: 401, operator: 401, auditor: 401, member: 401, anonymous: 401 } },
  'POST /api/v1/auth/refresh': { req: () => ({ path: '/api/v1/auth/refresh' }), expect: { token: 401, operator: 401, auditor: 401, member: 401, anonymous: 401 } },
  'POST /api/v1/auth/logout': { req: () => ({ path: '/api/v1/auth/logout' }), expect: { token: 204, operator: 204, auditor: 204, member: 204, anonymous: 204 } },
  'GET /api/v1/auth/me': { req: () => ({ path: '/api/v1/auth/me' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  // run with a session of its own (see sessionEnding below): it ends the caller's session
  'POST /api/v1/auth/sessions/current/end': { req: () => ({ path: '/api/v1/auth/sessions/current/end' }), expect: { token: 400, operator: 204, auditor: 204, member: 204 } },
  // operators and auditors have TOTP from the start (409); a member admin may start it (nothing is required until confirmed)
  'POST /api/v1/auth/totp/setup': { req: () => ({ path: '/api/v1/auth/totp/setup' }), expect: { token: 403, operator: 409, auditor: 409, member: 200 } },
  'POST /api/v1/auth/totp/confirm': { req: () => ({ path: '/api/v1/auth/totp/confirm', body: { code: 'nope' } }), expect: { token: 403, operator: 409, auditor: 409, member: 400 } },
  // passkeys are offered to operators (users); a registration without a live challenge is refused (400)
  'GET /api/v1/auth/passkeys': { req: () => ({ path: '/api/v1/auth/passkeys', method: 'GET' }), expect: { token: 403, operator: 200, auditor: 403, member: 403 } },
  'POST /api/v1/auth/passkeys/registration-options': { req: () => ({ path: '/api/v1/auth/passkeys/registration-options' }), expect: { token: 403, operator: 200, auditor: 403, member: 403 } },
  'POST /api/v1/auth/passkeys': {
    req: () => ({ path: '/api/v1/auth/passkeys', body: { challengeId: '00000000-0000-4000-8000-000000000000', name: 'x', clientDataJSON: 'e30', attestationObject: 'oA' } }),
    expect: { token: 403, operator: 400, auditor: 403, member: 403 },
  },
  'POST /api/v1/auth/passkeys/sign-in-options': { req: () => ({ path: '/api/v1/auth/passkeys/sign-in-options' }), expect: { token: 200, operator: 200, auditor: 200, member: 200, anonymous: 200 } },
  // a member admin has no TOTP turned on here (409); the others have it
  'GET /api/v1/auth/recovery-codes': { req: () => ({ path: '/api/v1/auth/recovery-codes', method: 'GET' }), expect: { token: 403, operator: 200, auditor: 200, member: 409 } },
  'POST /api/v1/auth/recovery-codes': { req: () => ({ path: '/api/v1/auth/recovery-codes' }), expect: { token: 403, operator: 200, auditor: 200, member: 409 } },
  'POST /api/v1/users': { req: () => ({ path: '/api/v1/users', body: {} }), expect: { token: 400, operator: 400, auditor: 403, member: 403 } },
  'GET /api/v1/users': { req: () => ({ path: '/api/v1/users' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/users/:id': {
    req: (f, t) => ({ path: `/api/v1/users/${f.memberUserId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // unlock is harmless (the members are not locked): 200 where allowed
  'POST /api/v1/users/:id/unlock': {
    req: (f, t) => ({ path: `/api/v1/users/${f.memberUserId[t]}/unlock` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: 403 },
  },
  // enable on an enabled account changes nothing: 200 where allowed
  'POST /api/v1/users/:id/enable': {
    req: (f, t) => ({ path: `/api/v1/users/${f.memberUserId[t]}/enable` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: 403 },
  },
  // disabling is checked on throwaway accounts, one per target, made for this row
  'POST /api/v1/users/:id/disable': {
    req: (f, t) => ({ path: `/api/v1/users/${f.spareUserId[t]}/disable` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: 403 },
  },
  // the members have no second factor: 409 where allowed, and nothing changes (their sessions stay)
  'POST /api/v1/users/:id/reset-two-factor': {
    req: (f, t) => ({ path: `/api/v1/users/${f.memberUserId[t]}/reset-two-factor` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  // a token acts in every community: only operators of every community (and tokens) manage them
  'POST /api/v1/api-tokens': { req: () => ({ path: '/api/v1/api-tokens', body: { name: '' } }), expect: { token: 400, operator: 403, auditor: 403, member: 403 } },
  'GET /api/v1/api-tokens': { req: () => ({ path: '/api/v1/api-tokens' }), expect: { token: 200, operator: 403, auditor: 200, member: 403 } },
  'POST /api/v1/api-tokens/:id/revoke': {
    req: () => ({ path: '/api/v1/api-tokens/00000000-0000-4000-8000-000000000000/revoke' }),
    expect: { token: 404, operator: 403, auditor: 403, member: 403 },
  },
  'POST /api/v1/communities': { req: () => ({ path: '/api/v1/communities', body: {} }), expect: { token: 400, operator: 403, auditor: 403, member: 403 } },
  'GET /api/v1/communities': { req: () => ({ path: '/api/v1/communities' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/communities/:id': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  // two codes differing only in case: refused by the authority (400) where allowed, so no catalog changes
  'PUT /api/v1/communities/:id/exchange-purposes': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/exchange-purposes`, body: { purposes: [{ code: 'T-TREAT', display: 'Treatment' }, { code: 't-treat', display: 'Again' }] } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  // a maximum validity of 0 days: refused by the authority (400) where allowed, so no policy changes
  'PUT /api/v1/communities/:id/policy': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/policy`, body: { maxLeafValidityDays: 0 } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/communities/:id/hierarchy': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/hierarchy` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  // harmless when allowed: the fixture's kits are removed before each call, so every allowed call makes one (201)
  'POST /api/v1/communities/:id/test-kit': {
    before: () => dropTestKits(),
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/test-kit` }),
    expect: { token: 201, operator: [201, 201, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/communities/:id/test-kit': {
    before: () => ensureTestKits(),
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/test-kit` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  'GET /api/v1/cas/:id': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  'GET /api/v1/cas/:id/impact': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/impact` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  // the fixture's issuing CAs are active, not awaiting a certificate: an allowed call is a 409
  'POST /api/v1/cas/:id/certificate': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/certificate`, body: { certificatePem: 'not a certificate', rootCertificatePem: 'not a certificate' } }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  // harmless when allowed: a fresh CRL
  'POST /api/v1/cas/:id/crl': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/crl` }),
    expect: { token: 201, operator: [201, 201, 404], auditor: 403, member: 403 },
  },
  // an empty reason: refused as validation where allowed, so the CAs stay active
  'POST /api/v1/cas/:id/retire': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/retire`, body: { reason: '' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/cas/:id/compromise': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/compromise`, body: { reason: '' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/cas/:id/crls': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/crls` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  'POST /api/v1/organizations': {
    req: (f, t) => ({ path: '/api/v1/organizations', body: { communityId: f.communityId[t], name: '' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/organizations/:id/san-uris': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/san-uris`, body: { sanUris: ['not a uri'] } }),
    expect: { token: 422, operator: [422, 422, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/organizations': { req: () => ({ path: '/api/v1/organizations' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/organizations/:id': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  'POST /api/v1/certificates': {
    req: (f, t) => ({ path: '/api/v1/certificates', body: { organizationId: f.orgId[t], profile: 'udap-server', csr: 'not a CSR' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/certificates': { req: () => ({ path: '/api/v1/certificates' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/certificates/:id': {
    req: (f, t) => ({ path: `/api/v1/certificates/${f.certId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  'POST /api/v1/certificates/:id/revoke': {
    req: (f, t) => ({ path: `/api/v1/certificates/${f.certId[t]}/revoke`, body: { reason: 'noSuchReason' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  // the certificates are not on hold: an allowed call is a 409
  'POST /api/v1/certificates/:id/release-hold': {
    req: (f, t) => ({ path: `/api/v1/certificates/${f.certId[t]}/release-hold` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/cas/:caId/certificates/:serial/revoke': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/certificates/${f.serialHex[t]}/revoke`, body: { reason: 'noSuchReason' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  // no SMTP server in this test: an allowed invitation fails to send (502) and stores nothing
  'POST /api/v1/invitations': {
    req: (f, t) => ({ path: '/api/v1/invitations', body: { email: 'someone@example.org', organizationId: f.orgId[t] } }),
    expect: { token: 502, operator: [502, 502, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/invitations': { req: () => ({ path: '/api/v1/invitations' }), expect: { token: 200, operator: 200, auditor: 200, member: 403 } },
  // the fixture's invitations are withdrawn already: an allowed call is a 409
  'POST /api/v1/invitations/:id/revoke': {
    req: (f, t) => ({ path: `/api/v1/invitations/${f.invitationId[t]}/revoke` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/invitations/lookup': { req: () => ({ path: '/api/v1/invitations/lookup', body: { token: 'ani_unknown' } }), expect: { token: 410, operator: 410, auditor: 410, member: 410, anonymous: 410 } },
  'POST /api/v1/invitations/accept': { req: () => ({ path: '/api/v1/invitations/accept', body: { token: 'ani_unknown' } }), expect: { token: 410, operator: 410, auditor: 410, member: 410, anonymous: 410 } },
  'POST /api/v1/organizations/:id/submit': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/submit`, body: {} }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  // the fixture's organizations are active: approve, reject and reinstate are 409 where allowed
  'POST /api/v1/organizations/:id/approve': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/approve`, body: { profileRevision: 1 } }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/organizations/:id/reject': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/reject`, body: { reason: 'test' } }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/organizations/:id/suspend': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/suspend`, body: {} }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  // a URL that is not one: refused as validation where allowed (nothing is set)
  'PUT /api/v1/organizations/:id/webhook': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/webhook`, body: { url: 'not a url' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  // removing a webhook that is not set changes nothing
  'DELETE /api/v1/organizations/:id/webhook': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/webhook` }),
    expect: { token: 204, operator: [204, 204, 404], auditor: 403, member: [204, 404, 404] },
  },
  'GET /api/v1/expiry-notices': { req: () => ({ path: '/api/v1/expiry-notices' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'POST /api/v1/organizations/:id/reinstate': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/reinstate` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/certificate-requests': {
    req: (f, t) => ({ path: '/api/v1/certificate-requests', body: { organizationId: f.orgId[t], profile: 'udap-client', csr: 'not a CSR' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  'GET /api/v1/certificate-requests': { req: () => ({ path: '/api/v1/certificate-requests' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/certificate-requests/:id': {
    req: (f, t) => ({ path: `/api/v1/certificate-requests/${f.requestId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // the fixture's requests are cancelled already: approve, reject (with a reason) and cancel are 409 where allowed
  'POST /api/v1/certificate-requests/:id/approve': {
    req: (f, t) => ({ path: `/api/v1/certificate-requests/${f.requestId[t]}/approve` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/certificate-requests/:id/reject': {
    req: (f, t) => ({ path: `/api/v1/certificate-requests/${f.requestId[t]}/reject`, body: { reason: 'test' } }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: 403 },
  },
  'POST /api/v1/certificate-requests/:id/cancel': {
    req: (f, t) => ({ path: `/api/v1/certificate-requests/${f.requestId[t]}/cancel` }),
    expect: { token: 409, operator: [409, 409, 404], auditor: 403, member: [409, 404, 404] },
  },
  'GET /api/v1/organizations/:id/impact': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/impact` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  'GET /api/v1/organizations/:id/endpoint-checks': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/endpoint-checks` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // a URI that is not the organization's: refused as validation where allowed
  'POST /api/v1/organizations/:id/endpoint-checks': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/endpoint-checks`, body: { uri: 'https://nobody.example.org/' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  'POST /api/v1/organizations/:id/endpoint-checks/run': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/endpoint-checks/run`, body: { uri: 'https://nobody.example.org/' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  // a built-in template that does not exist: refused by the authority, after the scope check
  'POST /api/v1/communities/:id/certification-templates': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/certification-templates`, body: { builtIn: 'no-such-template' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/communities/:id/certification-templates': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/certification-templates` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  // a JWT that does not verify: refused after the template's scope check, so nothing is recorded
  'POST /api/v1/certifications': {
    req: (f, t) => ({ path: '/api/v1/certifications', body: { templateId: f.templateId[t], organizationId: f.orgId[t], jwt: 'e30.e30.c2ln' } }),
    expect: { token: 422, operator: [422, 422, 404], auditor: 403, member: [422, 422, 404] },
  },
  // a SAN URI the organization does not have: refused before the signer generates a key
  'POST /api/v1/communities/:id/certifiers': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/certifiers`, body: { organizationId: f.orgId[t], sanUri: 'https://nobody.example.org/udap' } }),
    expect: { token: 422, operator: [422, 422, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/communities/:id/certifiers': {
    req: (f, t) => ({ path: `/api/v1/communities/${f.communityId[t]}/certifiers` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  // a sub the organization does not have: refused before anything is signed
  'POST /api/v1/certifications/issue': {
    req: (f, t) => ({ path: '/api/v1/certifications/issue', body: { certifierId: f.certifierId[t], templateId: f.templateId[t], organizationId: f.orgId[t], sub: 'https://nobody.example.org/app' } }),
    expect: { token: 422, operator: [422, 422, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/certifications': { req: () => ({ path: '/api/v1/certifications' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/certifications/:id': {
    req: (f, t) => ({ path: `/api/v1/certifications/${f.certificationId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // a blank reason: refused by the authority after the scope check, so the certifications stay active
  'POST /api/v1/certifications/:id/revoke': {
    req: (f, t) => ({ path: `/api/v1/certifications/${f.certificationId[t]}/revoke`, body: { reason: ' ' } }),
    expect: { token: 400, operator: [400, 400, 404], auditor: 403, member: [400, 404, 404] },
  },
  'GET /api/v1/conformance/endpoints': { req: () => ({ path: '/api/v1/conformance/endpoints' }), expect: { token: 200, operator: 200, auditor: 200, member: 403 } },
  'GET /api/v1/conformance/endpoints/:id': {
    req: (f, t) => ({ path: `/api/v1/conformance/endpoints/${f.endpointId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  'GET /api/v1/conformance/endpoints/:id/checks': {
    req: (f, t) => ({ path: `/api/v1/conformance/endpoints/${f.endpointId[t]}/checks` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // harmless when allowed: the fixture's endpoints are loopback addresses the guard refuses at once (a failing check is recorded)
  'POST /api/v1/conformance/endpoints/:id/check': {
    req: (f, t) => ({ path: `/api/v1/conformance/endpoints/${f.endpointId[t]}/check` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: [200, 404, 404] },
  },
  'GET /api/v1/organizations/:id/conformance': {
    req: (f, t) => ({ path: `/api/v1/organizations/${f.orgId[t]}/conformance` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  'GET /api/v1/conformance/alerts': { req: () => ({ path: '/api/v1/conformance/alerts' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/bulk-revocations': { req: () => ({ path: '/api/v1/bulk-revocations' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/bulk-revocations/:id': {
    req: (f, t) => ({ path: `/api/v1/bulk-revocations/${f.bulkRevocationId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // the queues hold a failed bulk revocation job of each target; the lists are scoped (checked below)
  'GET /api/v1/queues': { req: () => ({ path: '/api/v1/queues' }), expect: { token: 200, operator: 200, auditor: 200, member: 403 } },
  'GET /api/v1/queues/:name/failed': { req: () => ({ path: `/api/v1/queues/${REVOCATION_QUEUE}/failed` }), expect: { token: 200, operator: 200, auditor: 200, member: 403 } },
  // a retry moves the job to waiting: it fails again before every call
  'POST /api/v1/queues/:name/jobs/:id/retry': {
    req: (f, t) => ({ path: `/api/v1/queues/${REVOCATION_QUEUE}/jobs/${bulkJobId(f, t)}/retry` }),
    before: () => failWaitingJobs(),
    expect: { token: 204, operator: [204, 204, 404], auditor: 403, member: 403 },
  },
  'GET /api/v1/dashboard': { req: () => ({ path: '/api/v1/dashboard' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/reports/activity': {
    req: (f, t) => ({ path: `/api/v1/reports/activity?communityId=${f.communityId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  'GET /api/v1/reports/crls': {
    req: (f, t) => ({ path: `/api/v1/reports/crls?communityId=${f.communityId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  'GET /api/v1/reports/expiring': {
    req: (f, t) => ({ path: `/api/v1/reports/expiring?communityId=${f.communityId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: 403 },
  },
  'GET /api/v1/cas/:id/crls/:crlNumber': {
    req: (f, t) => ({ path: `/api/v1/cas/${f.issuingCaId[t]}/crls/1` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 200, 404] },
  },
  // a plain http callback: refused as validation where allowed (nothing is written)
  'POST /api/v1/revocation-subscriptions': {
    req: (f, t) => ({ path: '/api/v1/revocation-subscriptions', body: { communityId: f.communityId[t], callbackUrl: 'http://rp.example.org/revocations' } }),
    expect: { token: 400, operator: 400, auditor: 403, member: 400 },
  },
  'GET /api/v1/revocation-subscriptions': { req: () => ({ path: '/api/v1/revocation-subscriptions' }), expect: { token: 200, operator: 200, auditor: 200, member: 200 } },
  'GET /api/v1/revocation-subscriptions/:id': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  'GET /api/v1/revocation-subscriptions/:id/deliveries': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}/deliveries` }),
    expect: { token: 200, operator: [200, 200, 404], auditor: 200, member: [200, 404, 404] },
  },
  // pausing, resuming and rotating are harmless here (no CRL is published): 200 where allowed, from an active subscription
  'POST /api/v1/revocation-subscriptions/:id/pause': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}/pause` }),
    before: () => reactivateSubscriptions(),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: [200, 404, 404] },
  },
  'POST /api/v1/revocation-subscriptions/:id/resume': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}/resume` }),
    before: () => reactivateSubscriptions(),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: [200, 404, 404] },
  },
  'POST /api/v1/revocation-subscriptions/:id/rotate-secret': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}/rotate-secret` }),
    before: () => reactivateSubscriptions(),
    expect: { token: 200, operator: [200, 200, 404], auditor: 403, member: [200, 404, 404] },
  },
  // a cancelled subscription is put back before every call
  'DELETE /api/v1/revocation-subscriptions/:id': {
    req: (f, t) => ({ path: `/api/v1/revocation-subscriptions/${f.subscriptionId[t]}` }),
    before: () => reactivateSubscriptions(),
    expect: { token: 204, operator: [204, 204, 404], auditor: 403, member: [204, 404, 404] },
  },
  'GET /api/v1/audit/events': { req: () => ({ path: '/api/v1/audit/events?limit=1' }), expect: { token: 200, operator: 403, auditor: 200, member: 403 } },
  'GET /api/v1/audit/events/export': { req: () => ({ path: '/api/v1/audit/events/export?format=jsonl&filter=%7B%22action%22%3A%22nothing.%22%7D' }), expect: { token: 200, operator: 403, auditor: 200, member: 403 } },
  'GET /api/v1/audit/verify': { req: () => ({ path: '/api/v1/audit/verify' }), expect: { token: 200, operator: 403, auditor: 200, member: 403 } },
};

/** The job id of target `t`'s bulk revocation. */
const bulkJobId = (f: Fixture, t: Target) => BULK_REVOKE.jobId({ bulkRevocationId: f.bulkRevocationId[t] });

/** Makes every subscription of the fixture active again (set in beforeAll). */
let reactivateSubscriptions: () => Promise<void> = async () => undefined;

/** Removes the test kits of the fixture's communities, and makes them if missing (set in beforeAll). */
let dropTestKits: () => Promise<void> = async () => undefined;
let ensureTestKits: () => Promise<void> = async () => undefined;

/** Fails every waiting job of the revocation queue (set in beforeAll). */
let failWaitingJobs: () => Promise<void> = async () => undefined;

describe('authorization matrix: every route x every role x own / foreign organization (HTTP, real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-authz-');
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'matrix password 123';
  const bearer: Partial<Record<Principal, string>> = {};
  const fresh: Partial<Record<Principal, () => Promise<string>>> = {};
  const f = {} as Fixture;
  const root: Actor = { id: 'matrix-setup', role: 'operator' };
  const clock = new FakeClock(new Date());
  const prefix = `matrix-${tag}`;
  let redis: PrivateRedis;
  let revocations: Queue;
  let jobTaker: Worker;

  const send = async (method: string, path: string, who: string | undefined, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(who ? { authorization: `Bearer ${who}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : null };
  };

  async function login(email: string, code?: string): Promise<string> {
    const r = await send('POST', '/api/v1/auth/login', undefined, { email, password: PASSWORD, ...(code ? { code } : {}) });
    if (r.status !== 200) throw new Error(`login of ${email}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json.accessToken as string;
  }

  beforeAll(async () => {
    p = await openPlatform({ ...opts, clock });
    redis = await startPrivateRedis();
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 1000, queues: { redisUrl: redis.url, prefix } });
    const communities: Record<'A' | 'B', { communityId: string; issuingCaId: string }> = {} as never;
    for (const k of ['A', 'B'] as const) {
      const c = await createCommunity(p, { name: `Matrix ${k}`, uri: `udap://${k.toLowerCase()}-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
      communities[k] = { communityId: c.community.id, issuingCaId: c.issuing.id };
    }
    for (const t of TARGETS) {
      const k = t[0] as 'A' | 'B';
      f.communityId = { ...f.communityId, [t]: communities[k].communityId };
      f.issuingCaId = { ...f.issuingCaId, [t]: communities[k].issuingCaId };
      const san = `https://${t.toLowerCase()}-${tag}.example.org/fhir`;
      const org = await createOrganization(p, { communityId: communities[k].communityId, name: `Org ${t}`, sanUris: [san] }, root);
      f.orgId = { ...f.orgId, [t]: org.id };
      const csr = opensslCsr(dir, { curve: 'P-256', sans: [san] });
      const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem }, root);
      f.certId = { ...f.certId, [t]: issued.certificate.id };
      f.serialHex = { ...f.serialHex, [t]: Buffer.from(issued.certificate.serial).toString('hex') };
      const m = await createUser(p, { email: `member-${t.toLowerCase()}-${tag}@example.org`, displayName: `Member ${t}`, role: 'member-admin', password: PASSWORD, organizationId: org.id }, root);
      f.memberUserId = { ...f.memberUserId, [t]: m.id };
      const spare = await createUser(p, { email: `spare-${t.toLowerCase()}-${tag}@example.org`, displayName: `Spare ${t}`, role: 'member-admin', password: PASSWORD, organizationId: org.id }, root);
      f.spareUserId = { ...f.spareUserId, [t]: spare.id };
      const inv = await p.db.onboarding.createInvitation({
        id: randomUUID(), organizationId: org.id, email: `invited-${t.toLowerCase()}-${tag}@example.org`, invitedBy: root.id, expiresAt: new Date(Date.now() + 86_400_000), tokenHash: randomUUID(),
      });
      await p.db.onboarding.revokeInvitation(inv.id, new Date());
      f.invitationId = { ...f.invitationId, [t]: inv.id };
      const req = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem }, root);
      await cancelCertificateRequest(p, req.request, root);
      f.requestId = { ...f.requestId, [t]: req.request.id };
      // a record only (the organization stays active; no worker runs here)
      const bulk = await p.db.bulkRevocations.create({ id: randomUUID(), communityId: communities[k].communityId, organizationId: org.id, caId: null, reason: 9, cause: 'organization-suspended', requestedBy: root.id });
      f.bulkRevocationId = { ...f.bulkRevocationId, [t]: bulk.id };
      // records only: a template per target, and a certification of the target's app by itself
      const template = await p.db.certifications.createTemplate(
        { id: randomUUID(), communityId: communities[k].communityId, name: `Matrix ${t}`, uris: ['https://matrix.example.org/c'], logoUri: null, description: null, grantTypes: ['client_credentials'], scopes: [], responseTypes: [], exchangePurposes: [], isEndorsement: false, createdBy: root.id },
        { at: new Date(), actor: root.id, action: 'certification-template.defined', subjectType: 'certification-template', subjectId: randomUUID(), data: {} },
      );
      f.templateId = { ...f.templateId, [t]: template.id };
      const certification = await p.db.certifications.create({
        id: randomUUID(), communityId: communities[k].communityId, templateId: template.id, jti: randomUUID(), iss: san, sub: san, organizationId: org.id,
        certifierCertificateId: issued.certificate.id, certifierSerial: issued.certificate.serial, certifierOrganizationId: org.id,
        iat: new Date(), exp: new Date(Date.now() + 86_400_000), jwt: 'e30.e30.c2ln', createdBy: root.id,
      }, { at: new Date(), actor: root.id, action: 'certification.recorded', subjectType: 'certification', subjectId: randomUUID(), data: {} });
      f.certificationId = { ...f.certificationId, [t]: certification.id };
      const certifier = await p.db.certifications.createCertifier(
        { id: randomUUID(), communityId: communities[k].communityId, organizationId: org.id, certificateId: issued.certificate.id, keyRef: `matrix-${t}-${tag}`, createdBy: root.id },
        { at: new Date(), actor: root.id, action: 'platform-certifier.created', subjectType: 'platform-certifier', subjectId: randomUUID(), data: {} },
      );
      f.certifierId = { ...f.certifierId, [t]: certifier.id };
      const sub = await subscribeToRevocations(p, { communityId: communities[k].communityId, callbackUrl: `https://rp-${t.toLowerCase()}-${tag}.example.org/revocations`, organizationId: org.id }, root);
      f.subscriptionId = { ...f.subscriptionId, [t]: sub.subscription.id };
      // a monitored endpoint (the scan would add it for a udap-server certificate): a loopback address, refused by the outbound guard at once
      const endpointId = randomUUID();
      await p.db.pool.query('INSERT INTO conformance_endpoint (id, community_id, organization_id, base_url) VALUES ($1, $2, $3, $4)', [
        endpointId, communities[k].communityId, org.id, `https://127.0.0.1/matrix-${t.toLowerCase()}-${tag}/r4`,
      ]);
      f.endpointId = { ...f.endpointId, [t]: endpointId };
    }
    const kitCommunities = [...new Set(Object.values(f.communityId))];
    dropTestKits = async () => void (await p.db.pool.query('DELETE FROM test_kit WHERE community_id = ANY($1::uuid[])', [kitCommunities]));
    ensureTestKits = async () => {
      for (const id of kitCommunities) if (!(await p.db.testKits.find(id))) await generateTestKit(p, id, { id: 'matrix', role: 'system' });
    };
    reactivateSubscriptions = async () => {
      await p.db.pool.query("UPDATE revocation_subscription SET status = 'active', paused_reason = NULL WHERE id = ANY($1::uuid[])", [Object.values(f.subscriptionId)]);
    };
    // a failed job per target, failed by hand (a worker without a processor takes the job, then fails it)
    const connection = redisConnection(redis.url);
    revocations = new Queue(REVOCATION_QUEUE, { connection, prefix });
    jobTaker = new Worker(REVOCATION_QUEUE, null, { connection, prefix });
    const lock = randomUUID();
    failWaitingJobs = async () => {
      for (let job = await jobTaker.getNextJob(lock, { block: false }); job; job = await jobTaker.getNextJob(lock, { block: false })) {
        await job.moveToFailed(new Error('signer offline'), lock, false);
      }
    };
    for (const t of TARGETS) await revocations.add(BULK_REVOKE.name, { bulkRevocationId: f.bulkRevocationId[t] }, { jobId: bulkJobId(f, t), attempts: 1 });
    await failWaitingJobs();
    bearer.token = (await createApiToken(p, 'matrix', root)).token;
    const op = await createUser(p, { email: `op-${tag}@example.org`, displayName: 'Operator A', role: 'operator', password: PASSWORD, communities: [communities.A.communityId] }, root);
    const aud = await createUser(p, { email: `auditor-${tag}@example.org`, displayName: 'Auditor', role: 'auditor', password: PASSWORD }, root);
    // a TOTP code is accepted once: the platform's clock moves to the next 30-second step for each operator or auditor sign-in
    fresh.operator = () => {
      clock.advance(30_000);
      return login(op.email, totpCode(op.totpEnrollment!.secret, clock.now()));
    };
    fresh.auditor = () => {
      clock.advance(30_000);
      return login(aud.email, totpCode(aud.totpEnrollment!.secret, clock.now()));
    };
    fresh.member = () => login(`member-a1-${tag}@example.org`);
    fresh.token = async () => bearer.token!;
    for (const who of ['operator', 'auditor', 'member'] as const) bearer[who] = await fresh[who]!();
  });
  afterAll(async () => {
    await jobTaker?.close();
    await revocations?.close();
    await srv.close();
    await p.close();
    await redis?.stop();
  });

  it('has a row for every route the API serves, and no row for a route it does not', () => {
    const routes = nestRoutes(AppModule.forPlatform(p).controllers as Type[]);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toEqual(Object.keys(ROUTES).sort());
  });

  const principals: Principal[] = ['token', 'operator', 'auditor', 'member', 'anonymous'];
  it.each(Object.keys(ROUTES))('%s', async (key) => {
    const [method] = key.split(' ');
    const row = ROUTES[key];
    const got: string[] = [];
    const want: string[] = [];
    for (const who of principals) {
      const e = row.expect[who] ?? 401;
      for (const [i, t] of TARGETS.entries()) {
        const { path, body } = row.req(f, t);
        const sessionEnding = key === 'POST /api/v1/auth/sessions/current/end';
        const credential = who === 'anonymous' ? undefined : sessionEnding ? await fresh[who]!() : bearer[who];
        await row.before?.();
        const r = await send(method, path, credential, body);
        got.push(`${who} ${t} ${r.status}`);
        want.push(`${who} ${t} ${Array.isArray(e) ? e[i] : e}`);
      }
    }
    expect(got).toEqual(want);
  });

  it('lists only what each caller may see: no organization, certificate, community or user of another scope', async () => {
    const ids = async (who: Principal, path: string) => ((await send('GET', path, bearer[who])).json as { id: string }[]).map((x) => x.id);
    const orgs = { member: await ids('member', '/api/v1/organizations?range=[0,499]'), operator: await ids('operator', '/api/v1/organizations?range=[0,499]') };
    expect(orgs.member).toEqual([f.orgId.A1]);
    expect(orgs.operator.sort()).toEqual([f.orgId.A1, f.orgId.A2].sort());
    expect(await ids('member', '/api/v1/certificates?range=[0,499]')).toEqual([f.certId.A1]);
    expect((await ids('operator', '/api/v1/certificates?range=[0,499]')).sort()).toEqual([f.certId.A1, f.certId.A2].sort());
    expect(await ids('member', '/api/v1/communities')).toEqual([f.communityId.A1]);
    expect(await ids('operator', '/api/v1/communities')).toEqual([f.communityId.A1]);
    expect((await ids('member', '/api/v1/users?range=[0,499]')).sort()).toEqual([f.memberUserId.A1, f.spareUserId.A1].sort());
    expect((await ids('operator', '/api/v1/users?range=[0,499]')).sort()).toEqual([f.memberUserId.A1, f.memberUserId.A2, f.spareUserId.A1, f.spareUserId.A2].sort());
    expect(await ids('member', '/api/v1/bulk-revocations')).toEqual([f.bulkRevocationId.A1]);
    expect(await ids('member', '/api/v1/certifications')).toEqual([f.certificationId.A1]);
    expect((await ids('operator', '/api/v1/certifications')).sort()).toEqual([f.certificationId.A1, f.certificationId.A2].sort());
    expect((await ids('operator', '/api/v1/bulk-revocations')).sort()).toEqual([f.bulkRevocationId.A1, f.bulkRevocationId.A2].sort());
    const endpoints = await ids('operator', `/api/v1/conformance/endpoints?range=[0,499]&filter=${encodeURIComponent(JSON.stringify({ communityId: f.communityId.A1 }))}`);
    expect(endpoints.sort()).toEqual([f.endpointId.A1, f.endpointId.A2].sort());
    expect((await send('GET', `/api/v1/conformance/endpoints?filter=${encodeURIComponent(JSON.stringify({ communityId: f.communityId.B1 }))}`, bearer.operator)).status).toBe(404);
    expect((await ids('operator', '/api/v1/conformance/endpoints?range=[0,499]'))).not.toContain(f.endpointId.B1);
    // asking for a foreign organization's certificates by filter is a 404, not an empty page
    const foreign = await send('GET', `/api/v1/certificates?filter=${encodeURIComponent(JSON.stringify({ organizationId: f.orgId.A2 }))}`, bearer.member);
    expect(foreign.status).toBe(404);
    // the API token and the auditor see everything
    expect(await ids('auditor', '/api/v1/organizations?range=[0,499]')).toEqual(expect.arrayContaining([f.orgId.A1, f.orgId.A2, f.orgId.B1]));
    // queued jobs: the operator of community A sees, and counts, those of A's organizations only
    const allJobs = [bulkJobId(f, 'A1'), bulkJobId(f, 'A2'), bulkJobId(f, 'B1')].sort();
    expect((await ids('operator', `/api/v1/queues/${REVOCATION_QUEUE}/failed`)).sort()).toEqual(allJobs.filter((j) => j !== bulkJobId(f, 'B1')));
    expect((await ids('token', `/api/v1/queues/${REVOCATION_QUEUE}/failed`)).sort()).toEqual(allJobs);
    expect((await ids('auditor', `/api/v1/queues/${REVOCATION_QUEUE}/failed`)).sort()).toEqual(allJobs);
    const failedCount = async (who: Principal) => ((await send('GET', '/api/v1/queues', bearer[who])).json as { queues: { name: string; counts: { failed: number } }[] })
      .queues.find((q) => q.name === REVOCATION_QUEUE)!.counts.failed;
    expect([await failedCount('operator'), await failedCount('token'), await failedCount('auditor')]).toEqual([2, 3, 3]);
  });
});
