// One schema per route of the admin API: the shape of its body and of its list filter, checked at the
// edge (apps/api's validation interceptor) before any handler runs. Shapes only: types, formats and
// sizes; what a value means (a reason allowed for a role, a SAN URI bound to an organization) is the
// authority's to decide (which also says which fields are missing, so most fields are optional here).
// A route missing here is refused, and a test fails until it has an entry.
import { z } from 'zod';

/** A UUID (the form of every id the platform hands out). */
const id = z.string().uuid();
/** Short text: names, reasons, codes. */
const text = (max = 1000) => z.string().max(max);
/** A URI or URL as text (parsed and checked by the authority). */
const uri = z.string().max(2048);
/** A list of SAN URIs. */
const uris = z.array(uri).max(200);
/** A PEM or base64 blob (CSRs, certificates). */
const blob = z.string().max(200_000);
/** No body, or an object whose fields the route does not read. */
const none = z.union([z.undefined(), z.null(), z.object({}).passthrough()]);

const keyType = z.enum(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']);

const policy = z.object({
  allowedLeafKeyTypes: z.array(text(32)).max(10),
  maxLeafValidityDays: z.number().int(),
  crlLifetimeSeconds: z.number().int(),
  allowGeneratedKeys: z.boolean(),
  requireEndpointControl: z.boolean(),
  autoApproveVerifiedRequests: z.boolean(),
  requireRsaChain: z.boolean(),
}).partial();

const revocation = z.object({ reason: text(64).optional(), invalidityDate: text(64).optional() });

/** Schemas of one route: its body, and (lists) the filter object of `?filter=`. */
export interface RouteSchema {
  body?: z.ZodTypeAny;
  /** Allowed filter fields of a list; any other field is refused, naming these. */
  filter?: z.AnyZodObject;
}

const listOf = (filter: z.ZodRawShape): RouteSchema => ({ body: none, filter: z.object(filter).partial().strict() });
const status = text(32);

/** Every route of the admin API, keyed 'METHOD /path' as Nest declares it. */
export const ROUTE_SCHEMAS: Record<string, RouteSchema> = {
  'POST /api/v1/auth/login': { body: z.object({ email: text(320), password: text(1024), code: text(16).optional() }) },
  'POST /api/v1/auth/refresh': { body: none },
  'POST /api/v1/auth/logout': { body: none },
  'GET /api/v1/auth/me': {},
  'POST /api/v1/auth/sessions/current/end': { body: none },
  'POST /api/v1/auth/totp/setup': { body: none },
  'POST /api/v1/auth/totp/confirm': { body: z.object({ code: text(16).optional() }) },

  'POST /api/v1/users': {
    body: z.object({
      email: text(320), displayName: text(200), role: text(32), password: text(1024).optional(),
      organizationId: id.nullable().optional(), communities: z.union([z.literal('all'), z.array(id).max(500)]).optional(),
    }),
  },
  'GET /api/v1/users': listOf({ organizationId: id, role: status }),
  'GET /api/v1/users/:id': {},
  'POST /api/v1/users/:id/unlock': { body: none },
  'POST /api/v1/users/:id/enable': { body: none },
  'POST /api/v1/users/:id/disable': { body: none },

  'POST /api/v1/communities': {
    body: z.object({
      name: text(200), uri, caKeyType: keyType.optional(), policy: policy.optional(),
      rootValidityYears: z.number().int().optional(), issuingValidityYears: z.number().int().optional(), offlineRoot: z.boolean().optional(),
    }),
  },
  'GET /api/v1/communities': listOf({}),
  'GET /api/v1/communities/:id': {},

  'GET /api/v1/cas/:id': {},
  'POST /api/v1/cas/:id/certificate': { body: z.object({ certificatePem: blob, rootCertificatePem: blob.optional() }) },
  'POST /api/v1/cas/:id/crl': { body: none },
  'POST /api/v1/cas/:id/retire': { body: z.object({ reason: text().optional(), revocationReason: text(64).optional() }) },
  'POST /api/v1/cas/:id/compromise': { body: z.object({ reason: text().optional() }) },
  'GET /api/v1/cas/:id/crls': listOf({}),
  'GET /api/v1/cas/:id/crls/:crlNumber': {},

  'POST /api/v1/organizations': { body: z.object({ communityId: id, name: text(300), sanUris: uris.optional() }) },
  'POST /api/v1/organizations/:id/san-uris': { body: z.object({ sanUris: uris }) },
  'GET /api/v1/organizations': listOf({ communityId: id, status }),
  'GET /api/v1/organizations/:id': {},
  // the profile's fields are checked one by one by the authority (profile.ts), which names each bad field
  'POST /api/v1/organizations/:id/submit': { body: z.object({}).passthrough() },
  'POST /api/v1/organizations/:id/approve': { body: z.union([z.undefined(), z.null(), z.object({ profileRevision: z.number().int().nonnegative().optional() })]) },
  'POST /api/v1/organizations/:id/reject': { body: z.object({ reason: text().optional() }) },
  'POST /api/v1/organizations/:id/suspend': { body: z.object({ reason: text().optional(), revokeCertificates: z.boolean().optional(), revocationReason: text(64).optional() }) },
  'POST /api/v1/organizations/:id/reinstate': { body: none },
  'PUT /api/v1/organizations/:id/webhook': { body: z.object({ url: uri }) },
  'DELETE /api/v1/organizations/:id/webhook': { body: none },
  'GET /api/v1/organizations/:id/endpoint-checks': {},
  'POST /api/v1/organizations/:id/endpoint-checks': { body: z.object({ uri }) },
  'POST /api/v1/organizations/:id/endpoint-checks/run': { body: z.object({ uri }) },

  'POST /api/v1/certificates': {
    body: z.object({
      organizationId: id, profile: text(64), csr: blob.optional(), csrDerBase64: blob.optional(), sanUris: uris.optional(),
      validityDays: z.number().int().optional(), requestId: text(200).optional(),
      generateKey: z.object({ keyType: keyType.optional(), pkcs12Password: text(1024) }).optional(),
    }),
  },
  'GET /api/v1/certificates': listOf({ organizationId: id, issuerId: id, status, serial: text(64), san: uri }),
  'GET /api/v1/certificates/:id': {},
  'POST /api/v1/certificates/:id/revoke': { body: revocation },
  'POST /api/v1/certificates/:id/release-hold': { body: none },
  'POST /api/v1/cas/:caId/certificates/:serial/revoke': { body: revocation },

  'POST /api/v1/invitations': { body: z.object({ email: text(320), communityId: id.optional(), organizationName: text(300).optional(), organizationId: id.optional() }) },
  'GET /api/v1/invitations': listOf({ organizationId: id }),
  'POST /api/v1/invitations/:id/revoke': { body: none },
  'POST /api/v1/invitations/lookup': { body: z.object({ token: text(200) }) },
  'POST /api/v1/invitations/accept': { body: z.object({ token: text(200), displayName: text(200).optional(), password: text(1024).optional() }) },

  'POST /api/v1/certificate-requests': {
    body: z.object({
      organizationId: id, profile: text(64), csr: blob.optional(), csrDerBase64: blob.optional(), sanUris: uris.optional(),
      requestId: text(200).optional(), renewalOf: id.optional(), keyType: text(32).optional(),
    }),
  },
  'GET /api/v1/certificate-requests': listOf({ organizationId: id, status }),
  'GET /api/v1/certificate-requests/:id': {},
  'POST /api/v1/certificate-requests/:id/approve': { body: none },
  'POST /api/v1/certificate-requests/:id/reject': { body: z.object({ reason: text().optional() }) },
  'POST /api/v1/certificate-requests/:id/cancel': { body: none },

  'GET /api/v1/bulk-revocations': listOf({ organizationId: id, caId: id, status }),
  'GET /api/v1/bulk-revocations/:id': {},
  'GET /api/v1/expiry-notices': listOf({ organizationId: id, subjectType: status }),
  'GET /api/v1/queues': {},
  'GET /api/v1/queues/:name/failed': listOf({}),
  'POST /api/v1/queues/:name/jobs/:id/retry': { body: none },
  'GET /api/v1/dashboard': {},
  'GET /api/v1/audit/events': {},
  'GET /api/v1/audit/verify': {},
};

/** One problem with a request's input: where, and what. */
export interface InputProblem {
  field: string;
  message: string;
}

/** Zod issues as problem-document `errors` entries (`body.sanUris[2]`, `filter.organizationId`). */
export function inputProblems(where: 'body' | 'filter', error: z.ZodError): InputProblem[] {
  return error.issues.map((i) => ({
    field: [where, ...i.path].map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join(''),
    message: i.message,
  }));
}
