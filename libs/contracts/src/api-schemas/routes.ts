// The schemas of every route of the admin API.
import { z } from 'zod';
import { auditEventsQuery, auditExportQuery, auditVerifyQuery } from './audit';
import { installCaCertificateBody, reasonBody, retireCaBody } from './cas';
import { issueCertificateBody, revokeCertificateBody, submitCertificateRequestBody } from './certificates';
import { createPlatformCertifierBody, defineCertificationTemplateBody, issueCertificationBody, recordCertificationBody, revokeCertificationBody } from './certifications';
import { createCommunityBody, setExchangePurposesBody, updateCommunityPolicyBody } from './communities';
import { id, none, text, uri } from './fields';
import { createApiTokenBody, createUserBody, registerPasskeyBody, signInBody, totpCodeBody } from './identity';
import {
  acceptInvitationBody, approveOrganizationBody, createOrganizationBody, endpointCheckBody, invitationLookupBody, inviteBody, organizationProfileBody, sanUrisBody,
  suspendOrganizationBody, webhookBody,
} from './organizations';
import { listQuery } from './query';
import { reportDaysQuery, reportWeeksQuery } from './reports';
import { subscribeToRevocationsBody } from './revocation-subscriptions';

/** Schemas of one route: its body, its query parameters, and (lists) the filter object of `?filter=`. */
export interface RouteSchema {
  body?: z.ZodTypeAny;
  /** The query parameters it reads; any other is refused, naming these. A route without one takes none. */
  query?: z.AnyZodObject;
  /** Allowed filter fields of a list (checked as part of its query); any other field is refused, naming these. */
  filter?: z.AnyZodObject;
}

/** The query of a route that reads none. */
export const NO_QUERY = z.object({}).strict();

const listOf = (fields: Record<string, z.ZodString>): RouteSchema => {
  const filter = z.object(fields).partial().strict();
  return { body: none, query: listQuery(filter), filter };
};
const status = text(32);
const conformanceStatus = z.string().regex(/^(passing|failing|unknown)$/, 'must be passing, failing or unknown');

/** Every route of the admin API, keyed 'METHOD /path' as Nest declares it. */
export const ROUTE_SCHEMAS: Record<string, RouteSchema> = {
  'POST /api/v1/auth/login': { body: signInBody },
  'POST /api/v1/auth/refresh': { body: none },
  'POST /api/v1/auth/logout': { body: none },
  'GET /api/v1/auth/me': {},
  'POST /api/v1/auth/sessions/current/end': { body: none },
  'POST /api/v1/auth/totp/setup': { body: none },
  'POST /api/v1/auth/totp/confirm': { body: totpCodeBody },
  'GET /api/v1/auth/recovery-codes': {},
  'GET /api/v1/auth/passkeys': {},
  'POST /api/v1/auth/passkeys/registration-options': { body: none },
  'POST /api/v1/auth/passkeys': { body: registerPasskeyBody },
  'POST /api/v1/auth/passkeys/sign-in-options': { body: none },
  'POST /api/v1/auth/recovery-codes': { body: none },

  'POST /api/v1/users': { body: createUserBody },
  'GET /api/v1/users': listOf({ organizationId: id, role: status }),
  'GET /api/v1/users/:id': {},
  'POST /api/v1/users/:id/unlock': { body: none },
  'POST /api/v1/users/:id/enable': { body: none },
  'POST /api/v1/users/:id/disable': { body: none },
  'POST /api/v1/users/:id/reset-two-factor': { body: none },

  'POST /api/v1/api-tokens': { body: createApiTokenBody },
  'GET /api/v1/api-tokens': listOf({}),
  'POST /api/v1/api-tokens/:id/revoke': { body: none },

  'POST /api/v1/communities': { body: createCommunityBody },
  'GET /api/v1/communities': listOf({}),
  'GET /api/v1/communities/:id': {},
  'PUT /api/v1/communities/:id/exchange-purposes': { body: setExchangePurposesBody },
  'PUT /api/v1/communities/:id/policy': { body: updateCommunityPolicyBody },
  'GET /api/v1/communities/:id/hierarchy': {},
  'POST /api/v1/communities/:id/test-kit': { body: none },
  'GET /api/v1/communities/:id/test-kit': {},

  'GET /api/v1/cas/:id': {},
  'GET /api/v1/cas/:id/impact': {},
  'POST /api/v1/cas/:id/certificate': { body: installCaCertificateBody },
  'POST /api/v1/cas/:id/crl': { body: none },
  'POST /api/v1/cas/:id/retire': { body: retireCaBody },
  'POST /api/v1/cas/:id/compromise': { body: reasonBody },
  'GET /api/v1/cas/:id/crls': listOf({}),
  'GET /api/v1/cas/:id/crls/:crlNumber': {},

  'POST /api/v1/organizations': { body: createOrganizationBody },
  'POST /api/v1/organizations/:id/san-uris': { body: sanUrisBody },
  'GET /api/v1/organizations': listOf({ communityId: id, status, q: text(200) }),
  'GET /api/v1/organizations/:id': {},
  'GET /api/v1/organizations/:id/impact': {},
  'POST /api/v1/organizations/:id/submit': { body: organizationProfileBody },
  'POST /api/v1/organizations/:id/approve': { body: approveOrganizationBody },
  'POST /api/v1/organizations/:id/reject': { body: reasonBody },
  'POST /api/v1/organizations/:id/suspend': { body: suspendOrganizationBody },
  'POST /api/v1/organizations/:id/reinstate': { body: none },
  'PUT /api/v1/organizations/:id/webhook': { body: webhookBody },
  'DELETE /api/v1/organizations/:id/webhook': { body: none },
  'GET /api/v1/organizations/:id/endpoint-checks': {},
  'POST /api/v1/organizations/:id/endpoint-checks': { body: endpointCheckBody },
  'POST /api/v1/organizations/:id/endpoint-checks/run': { body: endpointCheckBody },

  'POST /api/v1/certificates': { body: issueCertificateBody },
  'GET /api/v1/certificates': listOf({ organizationId: id, issuerId: id, status, serial: text(64).regex(/^[0-9a-fA-F]+$/, 'must be hexadecimal'), san: text(2048), q: text(200) }),
  'GET /api/v1/certificates/:id': {},
  'POST /api/v1/certificates/:id/revoke': { body: revokeCertificateBody },
  'POST /api/v1/certificates/:id/release-hold': { body: none },
  'POST /api/v1/cas/:caId/certificates/:serial/revoke': { body: revokeCertificateBody },

  'POST /api/v1/invitations': { body: inviteBody },
  'GET /api/v1/invitations': listOf({ organizationId: id }),
  'POST /api/v1/invitations/:id/revoke': { body: none },
  'POST /api/v1/invitations/lookup': { body: invitationLookupBody },
  'POST /api/v1/invitations/accept': { body: acceptInvitationBody },

  'POST /api/v1/certificate-requests': { body: submitCertificateRequestBody },
  'GET /api/v1/certificate-requests': listOf({ organizationId: id, status, q: text(200) }),
  'GET /api/v1/certificate-requests/:id': {},
  'POST /api/v1/certificate-requests/:id/approve': { body: none },
  'POST /api/v1/certificate-requests/:id/reject': { body: reasonBody },
  'POST /api/v1/certificate-requests/:id/cancel': { body: none },

  'POST /api/v1/communities/:id/certification-templates': { body: defineCertificationTemplateBody },
  'GET /api/v1/communities/:id/certification-templates': listOf({}),
  'POST /api/v1/communities/:id/certifiers': { body: createPlatformCertifierBody },
  'GET /api/v1/communities/:id/certifiers': listOf({}),
  'POST /api/v1/certifications': { body: recordCertificationBody },
  'POST /api/v1/certifications/issue': { body: issueCertificationBody },
  'GET /api/v1/certifications': listOf({ organizationId: id, certifierOrganizationId: id, communityId: id, templateId: id, status, sub: uri }),
  'GET /api/v1/certifications/:id': {},
  'POST /api/v1/certifications/:id/revoke': { body: revokeCertificationBody },

  'GET /api/v1/bulk-revocations': listOf({ organizationId: id, caId: id, status }),
  'GET /api/v1/bulk-revocations/:id': {},
  'GET /api/v1/expiry-notices': listOf({ organizationId: id, subjectType: status }),
  'POST /api/v1/revocation-subscriptions': { body: subscribeToRevocationsBody },
  'GET /api/v1/revocation-subscriptions': listOf({ communityId: id, organizationId: id, status }),
  'GET /api/v1/revocation-subscriptions/:id': {},
  'GET /api/v1/revocation-subscriptions/:id/deliveries': listOf({}),
  'POST /api/v1/revocation-subscriptions/:id/pause': { body: none },
  'POST /api/v1/revocation-subscriptions/:id/resume': { body: none },
  'POST /api/v1/revocation-subscriptions/:id/rotate-secret': { body: none },
  'DELETE /api/v1/revocation-subscriptions/:id': { body: none },
  'GET /api/v1/conformance/endpoints': listOf({ communityId: id, organizationId: id, status: conformanceStatus }),
  'GET /api/v1/conformance/endpoints/:id': {},
  'GET /api/v1/conformance/endpoints/:id/checks': listOf({}),
  'POST /api/v1/conformance/endpoints/:id/check': { body: none },
  'GET /api/v1/organizations/:id/conformance': {},
  'GET /api/v1/conformance/alerts': listOf({ organizationId: id }),
  'GET /api/v1/queues': {},
  'GET /api/v1/queues/:name/failed': listOf({}),
  'POST /api/v1/queues/:name/jobs/:id/retry': { body: none },
  'GET /api/v1/dashboard': {},
  'GET /api/v1/reports/activity': { query: reportDaysQuery },
  'GET /api/v1/reports/crls': { query: reportDaysQuery },
  'GET /api/v1/reports/expiring': { query: reportWeeksQuery },
  'GET /api/v1/audit/events': { query: auditEventsQuery },
  'GET /api/v1/audit/events/export': { query: auditExportQuery },
  'GET /api/v1/audit/verify': { query: auditVerifyQuery },
};
