// One schema per route of the admin API: the shape of its body, of its query parameters and of its
// list filter, checked at the edge (apps/api's validation interceptor) before any handler runs; the
// handlers take the checked values, typed with the types inferred here. Shapes only: types, formats,
// sizes, and which fields go together (one CSR, or a generated key instead); what a value means (a
// reason allowed for a role, a SAN URI bound to an organization) is the authority's to decide, and
// so is much of what is missing: a field the authority asks for by name, saying what it wants, may
// be optional here. A route missing here is refused, and a test fails until it has an entry.
import { z } from 'zod';
import { exchangePurposeSchema, EXCHANGE_PURPOSE_PRESETS, MAX_EXCHANGE_PURPOSES } from './exchange-purposes';
import { keyTypeSchema } from './views/common';
import { userRoleSchema } from './views/identity';

/** A UUID (the form of every id the platform hands out). */
const id = z.string().uuid();
/** Short text: names, reasons, codes. */
const text = (max = 1000) => z.string().max(max);
/** Text a route cannot do without, refused with `message` when it is missing or not text. */
const needed = (message: string, max: number) => z.string({ required_error: message, invalid_type_error: message }).max(max);
/** A URI or URL as text (parsed and checked by the authority). */
const uri = z.string().max(2048);
/** A list of SAN URIs. */
const uris = z.array(uri).max(200);
/** A PEM or base64 blob (CSRs, certificates). */
const blob = z.string().max(200_000);
/** No body, or an object whose fields the route does not read. */
const none = z.union([z.undefined(), z.null(), z.object({}).passthrough()]);

const policy = z.object({
  allowedLeafKeyTypes: z.array(keyTypeSchema).max(10),
  maxLeafValidityDays: z.number().int(),
  crlLifetimeSeconds: z.number().int(),
  allowGeneratedKeys: z.boolean(),
  requireEndpointControl: z.boolean(),
  autoApproveVerifiedRequests: z.boolean(),
  requireRsaChain: z.boolean(),
}).partial();

// ---- bodies ----

/** POST /auth/login. */
const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
/** A passkey's answer to a sign-in challenge (navigator.credentials.get()), binary values base64url. */
export const passkeyAssertionBody = z.object({
  challengeId: id, credentialId: b64url(1400), clientDataJSON: b64url(4096), authenticatorData: b64url(4096), signature: b64url(2048),
});
export const signInBody = z.object({ email: text(320), password: text(1024), code: text(64).optional(), passkey: passkeyAssertionBody.optional() });
export type SignInBody = z.infer<typeof signInBody>;

/** POST /auth/totp/confirm: the code from the authenticator app (the authority says when it is missing). */
export const totpCodeBody = z.object({ code: text(16).optional() });
export type TotpCodeBody = z.infer<typeof totpCodeBody>;

/** POST /auth/passkeys: a new passkey's answer to its registration challenge (navigator.credentials.create()). */
export const registerPasskeyBody = z.object({
  challengeId: id, name: text(100), clientDataJSON: b64url(4096), attestationObject: b64url(65_536),
});
export type RegisterPasskeyBody = z.infer<typeof registerPasskeyBody>;

/** POST /users. */
export const createUserBody = z.object({
  email: text(320), displayName: text(200), role: userRoleSchema, password: text(1024),
  organizationId: id.nullable().optional(), communities: z.union([z.literal('all'), z.array(id).max(500)]).optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

/** POST /api-tokens: what the token is for, and optionally how many days it lives (absent: no expiry). */
export const createApiTokenBody = z.object({
  name: needed('name is required: say what the token is for (1 to 100 characters)', 1000),
  expiresInDays: z.number({ invalid_type_error: 'expiresInDays must be a whole number of days' }).int('expiresInDays must be a whole number of days').optional(),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

/** POST /communities. */
export const createCommunityBody = z.object({
  name: text(200), uri, caKeyType: keyTypeSchema.optional(), policy: policy.optional(),
  rootValidityYears: z.number().int().optional(), issuingValidityYears: z.number().int().optional(), offlineRoot: z.boolean().optional(),
});
export type CreateCommunityBody = z.infer<typeof createCommunityBody>;

/** PUT /communities/:id/policy: the policy fields to change (the others keep their values). */
export const updateCommunityPolicyBody = policy.strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one policy field to change').describe('Any of the policy fields; at least one.');
export type UpdateCommunityPolicyBody = z.infer<typeof updateCommunityPolicyBody>;

/** PUT /communities/:id/exchange-purposes: the whole catalog in `purposes`, or a `preset` to set it from. */
export const setExchangePurposesBody = z.object({
  preset: z.enum(Object.keys(EXCHANGE_PURPOSE_PRESETS) as [keyof typeof EXCHANGE_PURPOSE_PRESETS]).optional(),
  purposes: z.array(exchangePurposeSchema).max(MAX_EXCHANGE_PURPOSES, `a catalog holds at most ${MAX_EXCHANGE_PURPOSES} exchange purposes`).optional(),
}).superRefine((body, ctx) => {
  if ((body.preset === undefined) === (body.purposes === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['purposes'], message: 'give either the catalog in "purposes" or a "preset" (tefca), not both and not neither' });
  }
}).describe('Exactly one of preset and purposes.');
export type SetExchangePurposesBody = z.infer<typeof setExchangePurposesBody>;

/** POST /cas/:id/certificate: the certificate an offline root signed, and that root's own. */
export const installCaCertificateBody = z.object({
  certificatePem: needed('give the CA certificate as PEM in "certificatePem"', 200_000),
  rootCertificatePem: needed('give the offline root certificate as PEM in "rootCertificatePem"', 200_000),
});
export type InstallCaCertificateBody = z.infer<typeof installCaCertificateBody>;

/** POST /cas/:id/retire. */
export const retireCaBody = z.object({ reason: text().optional(), revocationReason: text(64).optional() });
export type RetireCaBody = z.infer<typeof retireCaBody>;

/** A reason in words (CA compromise, rejections); the authority says when it is missing or empty. */
export const reasonBody = z.object({ reason: text().optional() });
export type ReasonBody = z.infer<typeof reasonBody>;

/** POST /organizations. */
export const createOrganizationBody = z.object({ communityId: id, name: text(300), sanUris: uris.optional() });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBody>;

/** POST /organizations/:id/san-uris. */
export const sanUrisBody = z.object({ sanUris: uris });
export type SanUrisBody = z.infer<typeof sanUrisBody>;

/** POST /organizations/:id/submit: the profile's fields are checked one by one by the authority (profile.ts), which names each bad field. */
export const organizationProfileBody = z.object({}).passthrough();
export type OrganizationProfileBody = z.infer<typeof organizationProfileBody>;

/** POST /organizations/:id/approve: the revision reviewed (the authority says when it is missing). */
export const approveOrganizationBody = z.object({ profileRevision: z.number().int().nonnegative().optional() });
export type ApproveOrganizationBody = z.infer<typeof approveOrganizationBody>;

/** POST /organizations/:id/suspend. */
export const suspendOrganizationBody = z.object({ reason: text().optional(), revokeCertificates: z.boolean().optional(), revocationReason: text(64).optional() });
export type SuspendOrganizationBody = z.infer<typeof suspendOrganizationBody>;

/** PUT /organizations/:id/webhook. */
export const webhookBody = z.object({ url: uri });
export type WebhookBody = z.infer<typeof webhookBody>;

/**
 * POST /revocation-subscriptions: an operator names a relying party it registers (relyingParty) or a
 * member organization of the community (organizationId); a member admin subscribes its own
 * organization. The callback URL is checked by the authority (the outbound guard's rules).
 */
export const subscribeToRevocationsBody = z.object({
  communityId: needed('communityId is required: the community whose revocations to receive', 100).uuid(),
  callbackUrl: needed('callbackUrl is required: the https:// URL the notices are posted to', 2048),
  relyingParty: text(200).optional(),
  organizationId: id.optional(),
}).strict();
export type SubscribeToRevocationsBody = z.infer<typeof subscribeToRevocationsBody>;

/** POST /organizations/:id/endpoint-checks (and /run): one SAN URI of the organization. */
export const endpointCheckBody = z.object({ uri });
export type EndpointCheckBody = z.infer<typeof endpointCheckBody>;

const CSR_CHOICE = 'give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64"';
/** A DER CSR as base64 (RFC 4648 §4, standard alphabet); line breaks are allowed, as `base64` writes them. */
const csrDerBase64 = blob.regex(/^[A-Za-z0-9+/\r\n]+={0,2}[\r\n]*$/, 'must be the DER CSR as base64 (a PEM CSR goes in "csr")');
const csrFields = { csr: blob.optional(), csrDerBase64: csrDerBase64.optional() };

/** Adds an issue unless exactly one of `csr` and `csrDerBase64` is given (`alternative`: what else may stand for both). */
function oneCsr(body: { csr?: string; csrDerBase64?: string }, ctx: z.RefinementCtx, alternative = ''): void {
  if (body.csr === undefined && body.csrDerBase64 === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['csr'], message: `${CSR_CHOICE}${alternative}` });
  if (body.csr !== undefined && body.csrDerBase64 !== undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['csrDerBase64'], message: `give the CSR once: as PEM in "csr" or as base64 DER in "csrDerBase64", not both` });
  }
}

/** A key pair the platform generates for the certificate, delivered once as a PKCS #12 (communities whose policy allows it). */
const generateKey = z.object({
  keyType: keyTypeSchema.optional(),
  pkcs12Password: needed('pkcs12Password is required: it protects the PKCS #12 that carries the private key', 1024),
}, { invalid_type_error: 'generateKey must be an object: { keyType?, pkcs12Password }' });

/** POST /certificates: a CSR (PEM in `csr`, or base64 DER in `csrDerBase64`), or `generateKey` instead. */
export const issueCertificateBody = z.object({
  organizationId: id, profile: text(64), ...csrFields, sanUris: uris.optional(),
  validityDays: z.number().int().optional(), requestId: text(200).optional(), generateKey: generateKey.optional(),
}).superRefine((body, ctx) => {
  if (body.generateKey === undefined) oneCsr(body, ctx, ', or generateKey: { keyType?, pkcs12Password } for a key the platform generates');
  else if (body.csr !== undefined || body.csrDerBase64 !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['generateKey'], message: 'give either a CSR or generateKey, not both' });
}).describe('Exactly one of csr, csrDerBase64 and generateKey.');
export type IssueCertificateBody = z.infer<typeof issueCertificateBody>;

/** POST /communities/:id/certification-templates: a built-in template by name, or the community's own terms (checked by the authority). */
export const defineCertificationTemplateBody = z.object({
  builtIn: text(64).optional(),
  name: text(200).optional(), uris: uris.optional(), logoUri: uri.nullable().optional(), description: text(2000).nullable().optional(),
  grantTypes: z.array(text(64)).max(10).optional(), scopes: z.array(text(200)).max(200).optional(), responseTypes: z.array(text(64)).max(10).optional(),
  exchangePurposes: z.array(text(200)).max(50).optional(), isEndorsement: z.boolean().optional(),
}).strict().superRefine((body, ctx) => {
  const own = Object.keys(body).filter((k) => k !== 'builtIn');
  if (body.builtIn !== undefined && own.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['builtIn'], message: `give builtIn alone, or the template's own terms (got also ${own.join(', ')})` });
  if (body.builtIn === undefined && (body.name === undefined || body.uris === undefined || body.grantTypes === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['name'], message: 'give builtIn (e.g. "tefca-basic-app"), or name, uris and grantTypes' });
  }
}).describe('A built-in template ({"builtIn": "tefca-basic-app"}) or the terms of the community\'s own.');
export type DefineCertificationTemplateBody = z.infer<typeof defineCertificationTemplateBody>;

/** POST /certifications: a certification JWT the certifier signed, of an app of `organizationId`, following template `templateId`. */
export const recordCertificationBody = z.object({
  templateId: id, organizationId: id,
  jwt: needed('give the certification as a compact JWS in "jwt"', 65_536).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a compact JWS (header.payload.signature, base64url)'),
}).strict();
export type RecordCertificationBody = z.infer<typeof recordCertificationBody>;

/** POST /communities/:id/certifiers: a certifier whose key the signer generates, for an organization's https SAN URI. */
export const createPlatformCertifierBody = z.object({
  organizationId: id, sanUri: uri, keyType: keyTypeSchema.optional(), validityDays: z.number().int().optional(),
}).strict();
export type CreatePlatformCertifierBody = z.infer<typeof createPlatformCertifierBody>;

/** POST /certifications/issue: a certification the platform signs with one of its certifiers. */
export const issueCertificationBody = z.object({
  certifierId: id, templateId: id, organizationId: id, sub: uri, validityDays: z.number().int().optional(),
  grantTypes: z.array(text(64)).max(10).optional(), responseTypes: z.array(text(64)).max(10).optional(), scope: text(4000).optional(),
  exchangePurposes: z.array(text(200)).max(50).optional(),
  appClaims: z.record(z.union([text(2048), z.array(text(2048)).max(50)])).optional(),
}).strict();
export type IssueCertificationBody = z.infer<typeof issueCertificationBody>;

/** POST /certifications/:id/revoke: why, in words (the authority says when it is missing or empty). */
export const revokeCertificationBody = z.object({ reason: needed('reason is required: why the certification is revoked', 1000) });
export type RevokeCertificationBody = z.infer<typeof revokeCertificationBody>;

const REASON_REQUIRED = 'reason is required (an RFC 5280 reason name, e.g. keyCompromise)';
/** POST /certificates/:id/revoke and /cas/:caId/certificates/:serial/revoke (which reason names a role may give is the authority's to say). */
export const revokeCertificateBody = z.object({ reason: needed(REASON_REQUIRED, 64), invalidityDate: text(64).optional() });
export type RevokeCertificateBody = z.infer<typeof revokeCertificateBody>;

/** POST /invitations: to a new draft organization (communityId, organizationName) or an existing one (organizationId). */
export const inviteBody = z.object({ email: text(320), communityId: id.optional(), organizationName: text(300).optional(), organizationId: id.optional() });
export type InviteBody = z.infer<typeof inviteBody>;

/** POST /invitations/lookup. */
export const invitationLookupBody = z.object({ token: text(200) });
export type InvitationLookupBody = z.infer<typeof invitationLookupBody>;

/** POST /invitations/accept. */
export const acceptInvitationBody = z.object({ token: text(200), displayName: text(200).optional(), password: text(1024).optional() });
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBody>;

/** POST /certificate-requests: a CSR, PEM in `csr` or base64 DER in `csrDerBase64`. */
export const submitCertificateRequestBody = z.object({
  organizationId: id, profile: text(64), ...csrFields, sanUris: uris.optional(),
  requestId: text(200).optional(), renewalOf: id.optional(), keyType: text(32).optional(),
  /** Exchange purpose codes of the community's catalog: each SAN URI (without a fragment) becomes one client URI per purpose, `uri#code`. */
  exchangePurposes: z.array(text(64)).min(1, 'exchangePurposes must name at least one purpose when given').max(MAX_EXCHANGE_PURPOSES).optional(),
}).superRefine((body, ctx) => oneCsr(body, ctx)).describe('Exactly one of csr and csrDerBase64.');
export type SubmitCertificateRequestBody = z.infer<typeof submitCertificateRequestBody>;

// ---- query parameters ----

/** A query parameter as Express hands it on: text, or a list when it was given more than once. */
const param = () => z.string({ invalid_type_error: 'give this parameter once' });

/** A query parameter that carries JSON (the list dialect's filter, range and sort): parsed, then checked against `schema`. */
function jsonParam<T extends z.ZodTypeAny>(schema: T, example: string) {
  return param().transform((raw, ctx): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be JSON, e.g. ${example}` });
      return z.NEVER;
    }
  }).pipe(schema);
}

const FILTER = 'must be a JSON object, e.g. filter={"status":"issued"}';
const RANGE = 'must be [first, last]: whole numbers with 0 <= first <= last, e.g. range=[0,24]';
const SORT = 'must be ["field", "ASC" | "DESC"], e.g. sort=["createdAt","DESC"]';
const index = z.number({ invalid_type_error: RANGE }).int(RANGE).nonnegative(RANGE).max(Number.MAX_SAFE_INTEGER, RANGE);
const range = z.tuple([index, index], { errorMap: () => ({ message: RANGE }) }).refine(([first, last]) => first <= last, RANGE);
const sort = z.tuple([
  z.string({ invalid_type_error: SORT }).max(100, SORT),
  z.enum(['ASC', 'DESC'], { errorMap: () => ({ message: SORT }) }),
], { errorMap: () => ({ message: SORT }) });
const jsonObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), FILTER);
/** react-admin sends empty values for cleared inputs: they mean "no filter". */
const withoutEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== null && v !== undefined));

/**
 * The query of a list, react-admin's simple REST dialect: `filter` (a JSON object of the list's
 * filter fields, each text), `range` (the page) and `sort`; which fields a list sorts by is the
 * handler's to say (apps/api list-query.ts), since each maps to a field of its records.
 */
function listQuery(filter: z.ZodObject<Record<string, z.ZodOptional<z.ZodString>>, 'strict'>) {
  const fields = Object.keys(filter.shape);
  return z.object({
    filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(filter), 'filter={"status":"issued"}').optional()
      .describe(fields.length ? `JSON object with any of: ${fields.join(', ')}` : 'this list takes no filter'),
    range: jsonParam(range, 'range=[0,24]').optional().describe('JSON [first, last]: the page, 0-based and inclusive (default [0,24])'),
    sort: jsonParam(sort, 'sort=["createdAt","DESC"]').optional().describe('JSON ["field", "ASC" | "DESC"] (default: the list\'s own order)'),
  }).strict();
}
/** A list's query once the edge checked it: its filter, page and order. */
export type ListQueryParams = z.infer<ReturnType<typeof listQuery>>;

const auditText = param().min(1, 'must be 1 to 200 characters').max(200, 'must be 1 to 200 characters');
const AUDIT_TIME = 'must be an ISO 8601 time (2026-03-05T10:00:00Z) or date (2026-03-05)';
/** A bound of the audit list's date range: an ISO 8601 time with its offset, or a date (midnight UTC). */
const auditTime = z.string({ invalid_type_error: AUDIT_TIME })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, AUDIT_TIME)
  .refine((v) => !Number.isNaN(Date.parse(v)), AUDIT_TIME);
const auditFilterText = z.string({ invalid_type_error: 'must be text' }).min(1, 'must be 1 to 200 characters').max(200, 'must be 1 to 200 characters');
/** The audit list's filter (GET /audit/events and its export). */
export const auditListFilter = z.object({
  actor: auditFilterText.optional(),
  action: auditFilterText.optional(),
  subjectType: auditFilterText.optional(),
  subjectId: auditFilterText.optional(),
  from: auditTime.optional(),
  to: auditTime.optional(),
  q: auditFilterText.optional(),
}).strict();
export type AuditListFilterParams = z.infer<typeof auditListFilter>;

/** GET /audit/events. */
export const auditEventsQuery = z.object({
  after: param().regex(/^\d{1,18}$/, 'must be a sequence number (a whole number of up to 18 digits)').transform(BigInt).optional()
    .describe('Only events after this sequence number (default 0)'),
  limit: param().regex(/^\d{1,4}$/, 'must be a whole number from 1 to 1000').transform(Number)
    .refine((n) => n >= 1 && n <= 1000, 'must be a whole number from 1 to 1000').optional()
    .describe('At most this many events, 1 to 1000 (default 100)'),
  subjectId: auditText.optional().describe('Only events about this subject'),
  subjectType: auditText.optional().describe('Only events about subjects of this type (e.g. certificate)'),
  actor: auditText.optional().describe('Only events of this actor'),
  action: auditText.optional().describe('Only events of this action; a prefix when it ends in "." (e.g. organization.)'),
  filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(auditListFilter), 'filter={"action":"certificate."}').optional()
    .describe('JSON object with any of: actor, action (a prefix), subjectType, subjectId, from, to (ISO 8601 times or dates; from inclusive, to exclusive), q (text in the action, actor, subject id or payload). With filter, range or sort the list is newest first by default and answers Content-Range; after and limit go without them'),
  range: jsonParam(range, 'range=[0,24]').optional().describe('JSON [first, last]: the page, 0-based and inclusive (default [0,24]; at most 500 events)'),
  sort: jsonParam(sort, 'sort=["seq","DESC"]').optional().describe('JSON ["seq" | "at", "ASC" | "DESC"] (default ["seq","DESC"]: newest first)'),
}).strict();
export type AuditEventsQuery = z.infer<typeof auditEventsQuery>;

/** GET /audit/events/export. */
export const auditExportQuery = z.object({
  format: z.enum(['csv', 'jsonl'], { errorMap: () => ({ message: 'must be csv or jsonl' }) }).describe('csv (RFC 4180, one header row) or jsonl (one event view per line)'),
  filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(auditListFilter), 'filter={"action":"certificate."}').optional()
    .describe('JSON object with any of: actor, action (a prefix), subjectType, subjectId, from, to, q, as for the list'),
  sort: jsonParam(sort, 'sort=["seq","DESC"]').optional().describe('JSON ["seq" | "at", "ASC" | "DESC"] (default ["seq","DESC"]: newest first)'),
}).strict();
export type AuditExportQuery = z.infer<typeof auditExportQuery>;

/** GET /audit/verify. */
export const auditVerifyQuery = z.object({
  // a compact JWS (RFC 7515 §7.1): three base64url parts
  checkpoint: param().max(4096, 'must be a compact JWS (audit/checkpoint.jws as published) of at most 4096 characters')
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a compact JWS (audit/checkpoint.jws as published)').optional()
    .describe('A compact JWS audit checkpoint kept by the caller (audit/checkpoint.jws): the log must still hold the event it names'),
}).strict();
export type AuditVerifyQuery = z.infer<typeof auditVerifyQuery>;

/** A whole number of days or weeks of a report's window, from 1 to `max`. */
const windowParam = (max: number, what: string) => param().regex(/^\d{1,3}$/, `must be a whole number of ${what} from 1 to ${max}`).transform(Number)
  .refine((n) => n >= 1 && n <= max, `must be a whole number of ${what} from 1 to ${max}`);

/** GET /reports/activity and GET /reports/crls: the window, in days back from today. */
export const reportDaysQuery = z.object({
  days: windowParam(366, 'days').optional().describe('Days back from today, today included (1 to 366; default 30)'),
  communityId: id.optional().describe('Only this community (one of the caller\'s)'),
}).strict();
export type ReportDaysQuery = z.infer<typeof reportDaysQuery>;

/** GET /reports/expiring: the window, in weeks ahead from now. */
export const reportWeeksQuery = z.object({
  weeks: windowParam(52, 'weeks').optional().describe('Weeks ahead from now (1 to 52; default 12)'),
  communityId: id.optional().describe('Only this community (one of the caller\'s)'),
}).strict();
export type ReportWeeksQuery = z.infer<typeof reportWeeksQuery>;

// ---- routes ----

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

/** One problem with a request's input: where, and what. */
export interface InputProblem {
  field: string;
  message: string;
}

/** A field's name as problem documents write it: `body.sanUris[2]`, `query.filter.organizationId`. */
function fieldName(path: (string | number)[]): string {
  return path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? p : `.${p}`)).join('');
}

/** Zod issues as problem-document `errors` entries, one per bad field (each unknown field, or query parameter, on its own). */
export function inputProblems(where: 'body' | 'query', error: z.ZodError): InputProblem[] {
  return error.issues.flatMap((i) => (i.code === z.ZodIssueCode.unrecognized_keys
    ? i.keys.map((k) => ({ field: fieldName([where, ...i.path, k]), message: where === 'query' && i.path.length === 0 ? 'unknown query parameter' : 'unknown field' }))
    : [{ field: fieldName([where, ...i.path]), message: i.message }]));
}
