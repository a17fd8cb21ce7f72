// What each route of the admin API answers: a one-line summary, its success statuses, the schema of
// its body (the views of wire.ts), an example, whether it is a page of a list (Content-Range), and the
// domain errors it answers besides those every route of its kind can (apps/api adds those: a bad
// input, no or another role's credentials, an id that names nothing). The OpenAPI document is built
// from this table, and test deployments check every answer against it (apps/api response-conformance).
// A route missing here fails the document's build and a test, as for ROUTE_SCHEMAS.
import { z } from 'zod';
import * as ex from './api-examples';
import { TEFCA_EXCHANGE_PURPOSES } from './exchange-purposes';
import { problemDocumentSchema, type ErrorCodeValue } from './errors';
import {
  acceptedInvitationViewSchema, apiTokenViewSchema, auditEventViewSchema, auditProblemSchema, auditVerificationViewSchema, bulkRevocationViewSchema, caCertificateInstallationSchema, caImpactViewSchema, organizationImpactViewSchema,
  certificationTemplateViewSchema, certificationViewSchema, platformCertifierViewSchema, caViewSchema, certificateRequestViewSchema, certificateViewSchema, checkedCheckpointViewSchema, communityDetailViewSchema, communityPolicySchema,
  conformanceAlertViewSchema, conformanceCheckResultViewSchema, conformanceCheckViewSchema, conformanceEndpointViewSchema, conformanceFindingSchema,
  organizationConformanceViewSchema,
  communityViewSchema, communityWarningSchema, createdApiTokenViewSchema, createdUserViewSchema, crlViewSchema, dashboardViewSchema, endedCaViewSchema, endpointCheckViewSchema,
  expiryNoticeViewSchema, failedJobViewSchema, invitationCreatedViewSchema, invitationLookupViewSchema, invitationViewSchema, organizationContactSchema,
  organizationProfileSchema, organizationViewSchema, queueCountsViewSchema, queuesViewSchema, requestApprovalViewSchema, revocationViewSchema,
  sessionViewSchema, suspensionViewSchema, totpEnrollmentViewSchema, userViewSchema, webhookSettingViewSchema, recoveryCodesViewSchema, recoveryCodeStatusViewSchema, newTotpViewSchema, passkeyViewSchema, passkeyOptionsViewSchema,
  revocationDeliveryViewSchema, revocationSubscriptionSecretViewSchema, revocationSubscriptionViewSchema, testKitViewSchema,
  activityReportViewSchema, communityHierarchyViewSchema, crlReportViewSchema, expiryReportViewSchema,
} from './wire';

/** What one route answers. */
export interface RouteResponse {
  /** One line: what the route does. */
  summary: string;
  /** Its success statuses, the usual one first (an idempotent repeat of a creation answers 200). */
  status: readonly number[];
  /** The schema of the JSON body it answers; null for no body (204) or bytes of `media`. */
  body: z.ZodTypeAny | null;
  /** Media type of an answer that is not JSON (its bytes are not checked). */
  media?: string;
  /** A realistic answer (it validates against `body`; tested). */
  example?: unknown;
  /** A page of a list, answered with `Content-Range: <resource> first-last/total`. */
  paged?: true;
  /** Domain errors it answers besides those of every route of its kind. */
  errors: readonly ErrorCodeValue[];
}

type Errors = readonly ErrorCodeValue[];
const ok = <S extends z.ZodTypeAny>(summary: string, body: S, example: z.infer<S>, errors: Errors = [], status = [200]): RouteResponse =>
  ({ summary, status, body, example, errors });
const created = <S extends z.ZodTypeAny>(summary: string, body: S, example: z.infer<S>, errors: Errors = []): RouteResponse =>
  ok(summary, body, example, errors, [201]);
/** A creation that a repeat with the same requestId (or CSR) answers with the first result, 200. */
const idempotent = <S extends z.ZodTypeAny>(summary: string, body: S, example: z.infer<S>, errors: Errors = []): RouteResponse =>
  ok(summary, body, example, errors, [201, 200]);
const page = <S extends z.ZodTypeAny>(summary: string, item: S, example: z.infer<S>, errors: Errors = []): RouteResponse =>
  ({ summary, status: [200], body: z.array(item), example: [example], paged: true, errors });
const empty = (summary: string, errors: Errors = []): RouteResponse => ({ summary, status: [204], body: null, errors });

/** Refusals of issuing a leaf certificate (also approving a request, which issues). */
const ISSUANCE: Errors = ['organization-inactive', 'ca-not-active', 'bad-csr', 'key-policy', 'san-invalid', 'lint-failed', 'idempotency-mismatch', 'signer-error'];
/** Refusals of a revocation and the CRL that must list it before the answer. */
const REVOCATION: Errors = ['reason-not-allowed', 'signer-error', 'publication-failed'];
/** A list filtered by an organization the caller may not see answers not-found, not an empty page. */
const ORG_FILTER: Errors = ['not-found'];

const SUBSCRIPTION_SECRET = 'rnsec_c3Vic2NyaXB0aW9uLXNlY3JldC1zaG93bi1vbmNlLWV4YW1wbGU';
const RECOVERY_CODES = ['k7qm-3xva-p2ne-w5rt', 'b4hd-9jsu-c6ly-2fzo', 'm3ta-q7wn-x5eb-r2kc', 'h6vp-4zgd-n7sy-j3ma', 'e2rq-w6kt-d5hx-v4nb', 'y3pl-s7fc-g2mu-t6wa', 'u5jd-k3ze-q7bn-f2xs', 'c6wh-r4ty-m2pv-l7dk', 'n3sf-x6ga-b5jq-z2eu', 'p7kb-d2wm-h4rn-s6ty'];
const PASSKEY = { credentialId: 'n3q0oX2VJrWl1e5bF8cYtA', name: 'YubiKey 5C', algorithm: 'ES256' as const, createdAt: '2026-02-01T09:00:00.000Z', lastUsedAt: null };
const otpauth = (account: string, secret: string) => `otpauth://totp/Anchorage:${account}?secret=${secret}&issuer=Anchorage&algorithm=SHA1&digits=6&period=30`;
const decided = { decidedBy: `user:ops@example.org:${ex.operatorExample.id}`, decidedAt: '2026-02-10T10:00:00.000Z' };
const revoked = {
  certificate: { ...ex.certificateExample, status: 'revoked' as const, revokedAt: '2026-03-02T08:00:00.000Z', revocationReason: 'keyCompromise' as const },
  crl: ex.crlExample,
};
const suspended = { ...ex.organizationExample, status: 'suspended' as const, statusReason: 'Contract ended' };
const endedCa = {
  ca: { ...ex.issuingCaExample, status: 'retired' as const, revokedAt: '2026-03-05T11:00:00.000Z' },
  bulkRevocation: { ...ex.bulkRevocationExample, organizationId: null, caId: ex.issuingCaExample.id, cause: 'ca-retired' as const, reason: 'cessationOfOperation' },
  parentCrlNumber: '7',
  notice: null,
};

/** Every route of the admin API, keyed 'METHOD /path' as Nest declares it (the keys of ROUTE_SCHEMAS). */
export const ROUTE_RESPONSES: Record<string, RouteResponse> = {
  'POST /api/v1/auth/login': ok('Sign in with e-mail, password and TOTP code; the refresh token comes as an httpOnly cookie', sessionViewSchema,
    { accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1YjdkOWYxYSJ9.c2lnbmF0dXJl', tokenType: 'Bearer', expiresIn: 900, user: ex.userExample }, ['unauthorized', 'too-many-requests', 'identity-unavailable']),
  'POST /api/v1/auth/refresh': ok('Trade the refresh cookie for a new one and a new access token', sessionViewSchema,
    { accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1YjdkOWYxYSJ9.bmV3c2lnbmF0dXJl', tokenType: 'Bearer', expiresIn: 900, user: ex.userExample }, ['unauthorized', 'identity-unavailable']),
  'POST /api/v1/auth/logout': empty('Sign out: end the session of the access token or refresh cookie and clear the cookie'),
  'GET /api/v1/auth/me': ok('The signed-in user (an operator API token shows as an operator of every community)', userViewSchema, ex.userExample),
  'POST /api/v1/auth/sessions/current/end': empty('End the caller\'s own session'),
  'POST /api/v1/auth/totp/setup': ok('Start TOTP enrollment: a new secret and otpauth URI, shown once', totpEnrollmentViewSchema,
    { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: otpauth('dana.ortiz%40riverside-health.example.org', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') },
    ['forbidden', 'conflict', 'identity-unavailable']),
  'POST /api/v1/auth/totp/confirm': ok('Turn TOTP on with a code from the authenticator app; its 10 recovery codes are in the answer, once', recoveryCodesViewSchema,
    { recoveryCodes: RECOVERY_CODES, remaining: 10, total: 10 }, ['forbidden', 'conflict', 'validation', 'identity-unavailable']),
  'GET /api/v1/auth/passkeys': ok('The signed-in operator\'s passkeys (never their keys)', z.array(passkeyViewSchema), [PASSKEY], ['forbidden']),
  'POST /api/v1/auth/passkeys/registration-options': ok('A registration challenge and the options for navigator.credentials.create() (operators; attestation none, ES256 or RS256)',
    passkeyOptionsViewSchema, { challengeId: '3f1e2d3c-4b5a-4678-9abc-def012345678', publicKey: {
      challenge: 'q5b0oM0nCvY7rB3cP1X4dQ', rpId: 'anchorage.example.org', timeout: 300000, userVerification: 'preferred',
      rp: { id: 'anchorage.example.org', name: 'Anchorage' }, user: { id: 'W32fGkxFR2m8bP1wJq7c6A', name: 'ops@example.org', displayName: 'Olga Operator' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }], attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }, excludeCredentials: [],
    } }, ['forbidden', 'identity-unavailable']),
  'POST /api/v1/auth/passkeys': created('Register a passkey with its answer to the registration challenge', passkeyViewSchema, PASSKEY, ['validation', 'conflict', 'forbidden']),
  'POST /api/v1/auth/passkeys/sign-in-options': ok('A sign-in challenge for a passkey (navigator.credentials.get()); the answer goes with e-mail and password to /auth/login',
    passkeyOptionsViewSchema, { challengeId: '3f1e2d3c-4b5a-4678-9abc-def012345679', publicKey: { challenge: 'Zx8d1Kf3mQ2pL7sN0vB4cA', rpId: 'anchorage.example.org', timeout: 300000, userVerification: 'preferred' } },
    ['too-many-requests']),
  'GET /api/v1/auth/recovery-codes': ok('How many of the signed-in user\'s recovery codes are unused', recoveryCodeStatusViewSchema, { remaining: 7, total: 10 }, ['forbidden', 'conflict']),
  'POST /api/v1/auth/recovery-codes': ok('Make new recovery codes for the signed-in user (the old ones stop working); they are in the answer, once', recoveryCodesViewSchema,
    { recoveryCodes: RECOVERY_CODES, remaining: 10, total: 10 }, ['forbidden', 'conflict']),

  'POST /api/v1/users': created('Create a user; an operator\'s TOTP secret is in the answer, once', createdUserViewSchema,
    { ...ex.operatorExample, totpEnabled: false, totpEnrollment: { secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', otpauthUri: otpauth('ops%40example.org', 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'), recoveryCodes: RECOVERY_CODES } },
    ['not-found', 'conflict', 'identity-unavailable']),
  'POST /api/v1/api-tokens': created('Create an operator API token (every community); its secret is in the answer, once', createdApiTokenViewSchema,
    { ...ex.apiTokenExample, lastUsedAt: null, token: 'anc_Vb7oJzq2H1mXk4c9TQwR0s8YfLpNaE3dUgC6iKyB5ZM' }, ['validation']),
  'GET /api/v1/api-tokens': page('List operator API tokens, newest first (never their secrets)', apiTokenViewSchema, ex.apiTokenExample),
  'POST /api/v1/api-tokens/:id/revoke': ok('Revoke an API token: it no longer authenticates, from the next request on', apiTokenViewSchema,
    { ...ex.apiTokenExample, status: 'revoked', revokedAt: '2026-02-04T10:00:00.000Z', revokedBy: ex.apiTokenExample.createdBy }, ['not-found', 'conflict']),
  'GET /api/v1/users': page('List users, newest first (filter: organizationId, role)', userViewSchema, ex.userExample, ORG_FILTER),
  'GET /api/v1/users/:id': ok('One user', userViewSchema, ex.userExample),
  'POST /api/v1/users/:id/unlock': ok('Lift the lock after repeated failed sign-ins', userViewSchema, ex.userExample),
  'POST /api/v1/users/:id/enable': ok('Re-enable a disabled account', userViewSchema, ex.userExample),
  'POST /api/v1/users/:id/disable': ok('Disable an account and end its sessions', userViewSchema, { ...ex.userExample, disabled: true }, ['conflict']),
  'POST /api/v1/users/:id/reset-two-factor': ok('Reset the second factor (a lost device) and end the account\'s sessions; an operator\'s or auditor\'s new TOTP secret is in the answer, once',
    createdUserViewSchema, { ...ex.operatorExample, totpEnrollment: { secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', otpauthUri: otpauth('ops%40example.org', 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'), recoveryCodes: RECOVERY_CODES } },
    ['conflict', 'identity-unavailable']),

  'POST /api/v1/communities': created('Create a community with its root and issuing CA (or only an issuing CA awaiting an offline root)', communityDetailViewSchema,
    { ...ex.communityExample, cas: [ex.rootCaExample, ex.issuingCaExample] }, ['conflict', 'key-policy', 'lint-failed', 'signer-error']),
  'GET /api/v1/communities': page('List communities', communityViewSchema, ex.communityExample),
  'GET /api/v1/communities/:id': ok('One community with its CAs', communityDetailViewSchema, { ...ex.communityExample, cas: [ex.rootCaExample, ex.issuingCaExample] }),
  'PUT /api/v1/communities/:id/exchange-purposes': ok('Set the community\'s catalog of exchange purposes (the fragments its client SAN URIs may carry)', communityDetailViewSchema,
    { ...ex.communityExample, exchangePurposes: [...TEFCA_EXCHANGE_PURPOSES], cas: [ex.rootCaExample, ex.issuingCaExample] }, ['not-found', 'validation']),
  'PUT /api/v1/communities/:id/policy': ok('Change the community\'s policy (the fields given; the others keep their values)', communityDetailViewSchema,
    { ...ex.communityExample, cas: [ex.rootCaExample, ex.issuingCaExample] }, ['key-policy']),
  'GET /api/v1/communities/:id/hierarchy': ok('The community\'s CAs, root first: parent, SHA-256 fingerprint, and leaf certificates active, revoked and expired',
    communityHierarchyViewSchema, ex.communityHierarchyExample),
  'POST /api/v1/communities/:id/test-kit': idempotent('Create (201) or regenerate (200) the community\'s test kit: certificates with known keys relying servers must reject, under a TEST anchor',
    testKitViewSchema, ex.testKitExample, ['not-found', 'conflict', 'signer-error']),
  'GET /api/v1/communities/:id/test-kit': ok('The community\'s test kit: each case, what a relying server must answer, its files', testKitViewSchema, ex.testKitExample),

  'GET /api/v1/cas/:id': ok('One CA', caViewSchema, ex.issuingCaExample),
  'GET /api/v1/cas/:id/impact': ok('What retiring the CA or declaring it compromised would revoke, before deciding', caImpactViewSchema, ex.caImpactExample),
  'POST /api/v1/cas/:id/certificate': ok('Install the certificate an offline root signed for a CA awaiting one', caCertificateInstallationSchema,
    { ca: ex.issuingCaExample, root: { ...ex.rootCaExample, keyType: 'RSA-4096' }, warnings: [] }, ['bad-certificate', 'conflict', 'key-policy', 'lint-failed', 'signer-error', 'publication-failed']),
  'POST /api/v1/cas/:id/crl': created('Generate and publish a new CRL of the CA now', crlViewSchema, ex.crlExample, ['ca-not-active', 'external-ca', 'signer-error', 'publication-failed']),
  'POST /api/v1/cas/:id/retire': ok('Retire an issuing CA: its certificate is revoked and everything it issued is bulk-revoked', endedCaViewSchema, endedCa,
    ['invalid-transition', 'reason-not-allowed', 'signer-error', 'publication-failed']),
  'POST /api/v1/cas/:id/compromise': ok('Declare an issuing CA compromised: it and everything it issued are revoked with cACompromise', endedCaViewSchema,
    { ...endedCa, ca: { ...endedCa.ca, status: 'compromised' }, bulkRevocation: { ...endedCa.bulkRevocation, cause: 'ca-compromised', reason: 'cACompromise' } },
    ['invalid-transition', 'reason-not-allowed', 'signer-error', 'publication-failed']),
  'GET /api/v1/cas/:id/crls': page('CRL history of the CA, newest first', crlViewSchema, ex.crlExample),
  'GET /api/v1/cas/:id/crls/:crlNumber': { summary: 'One CRL of the CA\'s history, DER, for download', status: [200], body: null, media: 'application/pkix-crl', errors: [] },

  'POST /api/v1/organizations': created('Admit an organization and bind its SAN URIs to it', organizationViewSchema, ex.organizationExample, ['not-found', 'san-invalid', 'san-taken']),
  'POST /api/v1/organizations/:id/san-uris': created('Bind more SAN URIs to the organization', organizationViewSchema, ex.organizationExample, ['san-invalid', 'san-taken']),
  'GET /api/v1/organizations': page('List organizations, newest first (filter: communityId, status, q: text in the name or a SAN URI)', organizationViewSchema, ex.organizationExample),
  'GET /api/v1/organizations/:id': ok('One organization', organizationViewSchema, ex.organizationExample),
  'POST /api/v1/organizations/:id/submit': ok('Submit (or resubmit) the organization profile for review', organizationViewSchema,
    { ...ex.organizationExample, status: 'submitted', sanUris: [], reviewedAt: null }, ['invalid-transition', 'san-invalid']),
  'POST /api/v1/organizations/:id/approve': ok('Approve the reviewed profile revision: bind its SAN URIs and activate the organization', organizationViewSchema,
    ex.organizationExample, ['invalid-transition', 'profile-changed', 'san-taken']),
  'POST /api/v1/organizations/:id/reject': ok('Reject a submitted organization with a reason', organizationViewSchema,
    { ...ex.organizationExample, status: 'rejected', statusReason: 'The NPI does not match the legal name', sanUris: [] }, ['invalid-transition']),
  'POST /api/v1/organizations/:id/suspend': ok('Suspend an organization, bulk-revoking its live certificates unless asked not to', suspensionViewSchema,
    { ...suspended, bulkRevocation: { ...ex.bulkRevocationExample, status: 'queued', total: null, revoked: 0, batches: 0, crlNumbers: {}, startedAt: null, finishedAt: null } },
    ['invalid-transition', 'reason-not-allowed']),
  'POST /api/v1/organizations/:id/reinstate': ok('Reinstate a suspended organization', organizationViewSchema, ex.organizationExample, ['invalid-transition']),
  'PUT /api/v1/organizations/:id/webhook': ok('Set where signed expiry webhooks go; the HMAC secret is in the answer, once', webhookSettingViewSchema,
    { url: 'https://ops.riverside-health.example.org/hooks/anchorage', secret: 'whsec_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5' }),
  'DELETE /api/v1/organizations/:id/webhook': empty('Remove the organization\'s webhook'),
  'GET /api/v1/organizations/:id/impact': ok('What suspending or approving the organization would do: certificates revoked, SAN URIs bound for good', organizationImpactViewSchema,
    ex.organizationImpactExample),
  'GET /api/v1/organizations/:id/endpoint-checks': ok('The endpoint-control checks of the organization\'s SAN URIs', z.array(endpointCheckViewSchema), [ex.endpointCheckExample]),
  'POST /api/v1/organizations/:id/endpoint-checks': created('Start (or restart) the check of one SAN URI: the token to publish and where', endpointCheckViewSchema,
    { ...ex.endpointCheckExample, status: 'pending', checkedAt: null, verifiedAt: null }),
  'POST /api/v1/organizations/:id/endpoint-checks/run': ok('Fetch the published token now and record the outcome', endpointCheckViewSchema, ex.endpointCheckExample, ['conflict']),

  'POST /api/v1/certificates': idempotent('Issue a leaf certificate from a CSR, or for a key the platform generates (PKCS #12, once)', certificateViewSchema,
    ex.certificateExample, ['not-found', ...ISSUANCE]),
  'GET /api/v1/certificates': page('List certificates, newest first (filter: organizationId, issuerId, status, serial prefix, san text, q: SAN, subject, organization or serial)', certificateViewSchema, ex.certificateExample, ORG_FILTER),
  'GET /api/v1/certificates/:id': ok('One certificate, with its extensions decoded', certificateViewSchema,
    { ...ex.certificateExample, extensions: [{ oid: '2.5.29.17', name: 'subjectAltName', critical: false, value: `URI:${ex.certificateExample.sanUris[0]}` }] }),
  'POST /api/v1/certificates/:id/revoke': ok('Revoke (or hold) a certificate; answers once the CRL lists it', revocationViewSchema, revoked, ['already-revoked', ...REVOCATION]),
  'POST /api/v1/certificates/:id/release-hold': ok('Release a hold; answers once the CRL no longer lists the certificate', revocationViewSchema,
    { certificate: ex.certificateExample, crl: { ...ex.crlExample, crlNumber: '43', entryCount: 2 } }, ['not-revoked', ...REVOCATION]),
  'POST /api/v1/cas/:caId/certificates/:serial/revoke': ok('Revoke a certificate by issuing CA and serial', revocationViewSchema, revoked, ['already-revoked', ...REVOCATION]),

  'POST /api/v1/invitations': created('Invite a contact by e-mail to a new draft organization or an existing one', invitationCreatedViewSchema,
    { invitation: ex.invitationExample, organization: { ...ex.organizationExample, status: 'draft', sanUris: [], profile: {}, profileRevision: 0, submittedAt: null, reviewedAt: null, webhookUrl: null } },
    ['not-found', 'organization-inactive', 'mail-failed']),
  'GET /api/v1/invitations': page('List invitations (filter: organizationId)', invitationViewSchema, ex.invitationExample),
  'POST /api/v1/invitations/:id/revoke': ok('Withdraw a pending invitation: its link stops working', invitationViewSchema, { ...ex.invitationExample, state: 'revoked' }, ['invalid-transition']),
  'POST /api/v1/invitations/lookup': ok('What an invitation link is for, before the invitee accepts it', invitationLookupViewSchema,
    { email: ex.invitationExample.email, organizationName: ex.organizationExample.name, expiresAt: ex.invitationExample.expiresAt }, ['invitation-invalid', 'too-many-requests']),
  'POST /api/v1/invitations/accept': created('Accept an invitation: create the invitee\'s member-admin account', acceptedInvitationViewSchema,
    { userId: ex.userExample.id, email: ex.userExample.email, organizationId: ex.organizationExample.id }, ['invitation-invalid', 'too-many-requests', 'conflict', 'identity-unavailable']),

  'POST /api/v1/certificate-requests': idempotent('Submit a certificate request with a CSR for the organization\'s SAN URIs', certificateRequestViewSchema,
    ex.certificateRequestExample, ['not-found', 'organization-inactive', 'ca-not-active', 'bad-csr', 'key-policy', 'san-invalid', 'san-taken', 'idempotency-mismatch']),
  'GET /api/v1/certificate-requests': page('List certificate requests, newest first (filter: organizationId, status, q: text in a SAN URI or the organization name)', certificateRequestViewSchema, ex.certificateRequestExample, ORG_FILTER),
  'GET /api/v1/certificate-requests/:id': ok('One certificate request', certificateRequestViewSchema, ex.certificateRequestExample),
  'POST /api/v1/certificate-requests/:id/approve': ok('Approve a request: the certificate is issued', requestApprovalViewSchema,
    { request: { ...ex.certificateRequestExample, status: 'issued', ...decided, certificateId: ex.certificateExample.id }, certificate: ex.certificateExample },
    ['invalid-transition', 'endpoint-unverified', ...ISSUANCE]),
  'POST /api/v1/certificate-requests/:id/reject': ok('Reject a request with a reason', certificateRequestViewSchema,
    { ...ex.certificateRequestExample, status: 'rejected', reason: 'Wrong SAN URI', ...decided }, ['invalid-transition']),
  'POST /api/v1/certificate-requests/:id/cancel': ok('Cancel a waiting request', certificateRequestViewSchema, { ...ex.certificateRequestExample, status: 'cancelled' }, ['invalid-transition']),

  'POST /api/v1/communities/:id/certification-templates': created('Define a certification template of the community (its own terms, or a built-in one such as tefca-basic-app)',
    certificationTemplateViewSchema, ex.certificationTemplateExample, ['conflict']),
  'GET /api/v1/communities/:id/certification-templates': page('The community\'s certification templates, oldest first', certificationTemplateViewSchema, ex.certificationTemplateExample),
  'POST /api/v1/communities/:id/certifiers': created('Create a certifier whose key the signer generates and holds, certified by a udap-certifier certificate', platformCertifierViewSchema,
    ex.platformCertifierExample, ['not-found', 'organization-inactive', 'san-invalid', 'key-policy', 'lint-failed', 'ca-not-active', 'signer-error']),
  'GET /api/v1/communities/:id/certifiers': page('The community\'s platform certifiers, oldest first', platformCertifierViewSchema, ex.platformCertifierExample),
  'POST /api/v1/certifications/issue': created('Issue a certification of a member app signed by a platform certifier (in the signer) and record it', certificationViewSchema,
    ex.certificationExample, ['not-found', 'organization-inactive', 'certification-invalid', 'signer-error']),
  'POST /api/v1/certifications': created('Record a certification JWT a certifier signed for a member app, once it verifies and follows its template', certificationViewSchema,
    ex.certificationExample, ['not-found', 'organization-inactive', 'certification-invalid', 'conflict']),
  'GET /api/v1/certifications': page('List certifications, newest first (filter: organizationId, certifierOrganizationId, communityId, templateId, status, sub)', certificationViewSchema,
    ex.certificationExample),
  'GET /api/v1/certifications/:id': ok('One certification', certificationViewSchema, ex.certificationExample),
  'POST /api/v1/certifications/:id/revoke': ok('Revoke a certification: its status endpoint answers {"valid": false} from then on', certificationViewSchema,
    { ...ex.certificationExample, status: 'revoked', revokedAt: '2026-06-01T09:00:00.000Z', revocationReason: 'The app no longer meets the criteria', revokedBy: ex.certificationExample.createdBy },
    ['already-revoked']),

  'GET /api/v1/bulk-revocations': page('List bulk revocations, newest first (filter: organizationId, caId, status)', bulkRevocationViewSchema, ex.bulkRevocationExample, ORG_FILTER),
  'GET /api/v1/bulk-revocations/:id': ok('One bulk revocation and its progress', bulkRevocationViewSchema, ex.bulkRevocationExample),
  'GET /api/v1/expiry-notices': page('List expiry notices and their delivery (filter: organizationId, subjectType)', expiryNoticeViewSchema, ex.expiryNoticeExample, ORG_FILTER),
  'POST /api/v1/revocation-subscriptions': created('Subscribe a callback to a community\'s revocation notices; the HMAC secret is in the answer, once',
    revocationSubscriptionSecretViewSchema, { subscription: { ...ex.revocationSubscriptionExample, totalFailures: 0, lastError: null, lastFailureAt: null, lastDeliveredAt: null }, secret: SUBSCRIPTION_SECRET }),
  'GET /api/v1/revocation-subscriptions': page('List revocation subscriptions (filter: communityId, organizationId, status; cancelled ones only by status)',
    revocationSubscriptionViewSchema, ex.revocationSubscriptionExample),
  'GET /api/v1/revocation-subscriptions/:id': ok('One revocation subscription and its health', revocationSubscriptionViewSchema, ex.revocationSubscriptionExample),
  'GET /api/v1/revocation-subscriptions/:id/deliveries': page('Notices delivered (or being delivered) to the subscription, newest first', revocationDeliveryViewSchema, ex.revocationDeliveryExample),
  'POST /api/v1/revocation-subscriptions/:id/pause': ok('Pause a subscription: no notices while paused, undelivered ones are skipped', revocationSubscriptionViewSchema,
    { ...ex.revocationSubscriptionExample, status: 'paused', pausedReason: 'manual', health: 'paused' }, ['invalid-transition', 'conflict']),
  'POST /api/v1/revocation-subscriptions/:id/resume': ok('Resume a paused subscription (also one paused as failing)', revocationSubscriptionViewSchema,
    ex.revocationSubscriptionExample, ['invalid-transition', 'conflict']),
  'POST /api/v1/revocation-subscriptions/:id/rotate-secret': ok('Replace the subscription\'s HMAC secret; the new one is in the answer, once', revocationSubscriptionSecretViewSchema,
    { subscription: ex.revocationSubscriptionExample, secret: SUBSCRIPTION_SECRET }, ['invalid-transition']),
  'DELETE /api/v1/revocation-subscriptions/:id': empty('Cancel a subscription (kept, with its delivery history)', ['conflict']),
  'GET /api/v1/conformance/endpoints': page('The community-wide conformance table: monitored member servers, failing first (filter: communityId, organizationId, status)',
    conformanceEndpointViewSchema, ex.conformanceEndpointExample, ['not-found']),
  'GET /api/v1/conformance/endpoints/:id': ok('One monitored member server and its current state', conformanceEndpointViewSchema, ex.conformanceEndpointExample),
  'GET /api/v1/conformance/endpoints/:id/checks': page('The checks of a monitored server, newest first', conformanceCheckViewSchema, ex.conformanceCheckExample),
  'POST /api/v1/conformance/endpoints/:id/check': ok('Check a monitored server now: the check (recorded with the history) and the server\'s new state',
    conformanceCheckResultViewSchema, { endpoint: ex.conformanceEndpointExample, check: { ...ex.conformanceCheckExample, trigger: 'on-demand', requestedBy: 'user:ops@example.org:1f3a5c7e-9b2d-4f6a-8c0e-4b6d8f0a2c5e' }, alertId: null },
    ['too-many-requests']),
  'GET /api/v1/organizations/:id/conformance': ok('An organization\'s conformance page: each of its servers with its newest checks', organizationConformanceViewSchema, {
    organizationId: ex.organizationExample.id, summary: { passing: 0, failing: 1, unknown: 0 },
    endpoints: [{ endpoint: ex.conformanceEndpointExample, history: [ex.conformanceCheckExample] }],
  }),
  'GET /api/v1/conformance/alerts': page('Alerts of servers that went from passing to failing, and their delivery (filter: organizationId)', conformanceAlertViewSchema,
    ex.conformanceAlertExample, ORG_FILTER),
  'GET /api/v1/queues': ok('Job counts of every queue and the outbox backlog', queuesViewSchema, ex.queuesExample, ['queue-unavailable']),
  'GET /api/v1/queues/:name/failed': page('Failed jobs of a queue, newest first', failedJobViewSchema, ex.failedJobExample, ['queue-unavailable']),
  'POST /api/v1/queues/:name/jobs/:id/retry': empty('Run a failed job again', ['queue-unavailable']),
  'GET /api/v1/dashboard': ok('The caller\'s dashboard: pending work, CRL freshness, certificates expiring soon', dashboardViewSchema, ex.dashboardExample),
  'GET /api/v1/reports/activity': ok('Certificates issued and revoked per UTC day over the last `days` days, within the caller\'s scope', activityReportViewSchema, ex.activityReportExample, ['not-found']),
  'GET /api/v1/reports/crls': ok('Each CA\'s CRLs of the last `days` days: entries, bytes, lifetime and time left when replaced', crlReportViewSchema, ex.crlReportExample, ['not-found']),
  'GET /api/v1/reports/expiring': ok('Issued, unrevoked certificates expiring in each of the next `weeks` weeks', expiryReportViewSchema, ex.expiryReportExample, ['not-found']),
  'GET /api/v1/audit/events': ok('Audit events: a page by range, sort and filter (newest first, with Content-Range), or after a sequence number with limit (oldest first)', z.array(auditEventViewSchema), [ex.auditEventExample]),
  'GET /api/v1/audit/events/export': {
    summary: 'The filtered audit list as a download, streamed: CSV (text/csv) or JSON lines (application/x-ndjson)', status: [200], body: null, media: 'text/csv', errors: [],
  },
  'GET /api/v1/audit/verify': ok('Recompute the audit hash chain and check it against the signed checkpoints', auditVerificationViewSchema, ex.auditVerificationExample),
};

/** The named views: components of the OpenAPI document, referenced wherever a body uses them. */
export const VIEW_SCHEMAS: Record<string, z.ZodTypeAny> = {
  Problem: problemDocumentSchema,
  CommunityPolicy: communityPolicySchema, CommunityWarning: communityWarningSchema, CommunityView: communityViewSchema, CommunityDetailView: communityDetailViewSchema,
  CaView: caViewSchema, CaCertificateInstallation: caCertificateInstallationSchema, CrlView: crlViewSchema, EndedCaView: endedCaViewSchema, CaImpactView: caImpactViewSchema,
  OrganizationContact: organizationContactSchema, OrganizationProfile: organizationProfileSchema, OrganizationView: organizationViewSchema, SuspensionView: suspensionViewSchema, OrganizationImpactView: organizationImpactViewSchema,
  InvitationView: invitationViewSchema, InvitationCreatedView: invitationCreatedViewSchema, InvitationLookupView: invitationLookupViewSchema, AcceptedInvitationView: acceptedInvitationViewSchema,
  EndpointCheckView: endpointCheckViewSchema, WebhookSettingView: webhookSettingViewSchema,
  CertificateView: certificateViewSchema, RevocationView: revocationViewSchema, CertificateRequestView: certificateRequestViewSchema, RequestApprovalView: requestApprovalViewSchema,
  ApiTokenView: apiTokenViewSchema, CreatedApiTokenView: createdApiTokenViewSchema,
  UserView: userViewSchema, CreatedUserView: createdUserViewSchema, SessionView: sessionViewSchema, TotpEnrollmentView: totpEnrollmentViewSchema,
  NewTotpView: newTotpViewSchema, RecoveryCodesView: recoveryCodesViewSchema, RecoveryCodeStatusView: recoveryCodeStatusViewSchema,
  BulkRevocationView: bulkRevocationViewSchema, QueueCountsView: queueCountsViewSchema, QueuesView: queuesViewSchema, FailedJobView: failedJobViewSchema,
  ExpiryNoticeView: expiryNoticeViewSchema, DashboardView: dashboardViewSchema,
  ActivityReportView: activityReportViewSchema, CrlReportView: crlReportViewSchema, ExpiryReportView: expiryReportViewSchema, CommunityHierarchyView: communityHierarchyViewSchema,
  CertificationTemplateView: certificationTemplateViewSchema, CertificationView: certificationViewSchema, PlatformCertifierView: platformCertifierViewSchema,
  RevocationSubscriptionView: revocationSubscriptionViewSchema, RevocationSubscriptionSecretView: revocationSubscriptionSecretViewSchema,
  RevocationDeliveryView: revocationDeliveryViewSchema, TestKitView: testKitViewSchema,
  ConformanceFinding: conformanceFindingSchema, ConformanceEndpointView: conformanceEndpointViewSchema, ConformanceCheckView: conformanceCheckViewSchema,
  ConformanceCheckResultView: conformanceCheckResultViewSchema, OrganizationConformanceView: organizationConformanceViewSchema, ConformanceAlertView: conformanceAlertViewSchema,
  AuditEventView: auditEventViewSchema, AuditProblem: auditProblemSchema, CheckedCheckpointView: checkedCheckpointViewSchema, AuditVerificationView: auditVerificationViewSchema,
};
