// Whether a certification's claims say what its template says (udap.org Certifications and Endorsements
// §1 and its claims table; UDAP STU2 §7.4.1 template). libs/udap checks what every relying party checks
// (signature, chain, iss, sub, exp, iat, jti, certification_name and _uris present); this checks what
// the community decided: the template's name, URIs, logo and description carried as they are, grants
// within the template's, and the status endpoint the community serves. Pure: no I/O, no clock.
import type { CertificationTemplateRecord } from '@anchorage/db';

/** The template fields the check reads. */
export type TemplateTerms = Pick<
  CertificationTemplateRecord, 'name' | 'uris' | 'logoUri' | 'description' | 'grantTypes' | 'scopes' | 'responseTypes' | 'exchangePurposes' | 'isEndorsement'
>;

/** Longest jti accepted: the status endpoint takes it in a query string. */
export const MAX_JTI_LENGTH = 256;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const list = (v: string[]) => v.map((x) => `"${x}"`).join(', ');

/** Problems of an optional array claim that must be a subset of `allowed` (an empty `allowed`: the claim must be absent or empty). */
function subsetProblems(claims: Record<string, unknown>, claim: string, allowed: string[], required: boolean): string[] {
  const v = claims[claim];
  if (v === undefined) return required ? [`${claim} is required: the template names ${list(allowed)}`] : [];
  if (!isStringArray(v)) return [`${claim} must be an array of strings`];
  if (required && v.length === 0) return [`${claim} must name at least one of ${list(allowed)}`];
  const extra = v.filter((x) => !allowed.includes(x));
  if (extra.length === 0) return [];
  return [allowed.length ? `${claim} ${list(extra)} not allowed by the template (allowed: ${list(allowed)})` : `${claim} ${list(extra)} not allowed: the template allows none`];
}

/** A claim the template fixes (logo, description): equal to it when the template has one, absent otherwise. */
function fixedProblems(claims: Record<string, unknown>, claim: string, fixed: string | null): string[] {
  const v = claims[claim];
  if (fixed === null) return v === undefined ? [] : [`${claim} must be absent: the template has none`];
  return v === fixed ? [] : [`${claim} must be the template's "${fixed}"${v === undefined ? ' (it is missing)' : ''}`];
}

/**
 * What in `claims` breaks the template or the platform's rules for a recorded certification; empty when
 * nothing does. `statusEndpoint` is the community's certification_status_endpoint (PublicUrls).
 */
export function templateProblems(claims: Record<string, unknown>, t: TemplateTerms, statusEndpoint: string): string[] {
  const out: string[] = [];
  if (claims.certification_name !== t.name) out.push(`certification_name must be the template's "${t.name}"`);
  const uris = claims.certification_uris;
  if (!isStringArray(uris) || uris.length !== t.uris.length || !t.uris.every((u) => uris.includes(u))) {
    out.push(`certification_uris must be exactly the template's ${list(t.uris)}`);
  }
  out.push(...fixedProblems(claims, 'certification_logo', t.logoUri));
  out.push(...fixedProblems(claims, 'certification_description', t.description));
  if (claims.certification_status_endpoint !== statusEndpoint) {
    out.push(`certification_status_endpoint must be "${statusEndpoint}", the community's status endpoint`);
  }
  const endorsement = claims.is_endorsement ?? false;
  if (endorsement !== t.isEndorsement) out.push(`is_endorsement must be ${t.isEndorsement}, as the template says`);
  out.push(...subsetProblems(claims, 'grant_types', t.grantTypes, true));
  out.push(...subsetProblems(claims, 'response_types', t.responseTypes, false));
  // an authorization_code client registers response_types ["code"] (UDAP STU2 §3.1; udap.org DCR)
  if (isStringArray(claims.grant_types) && claims.grant_types.includes('authorization_code')
    && !(isStringArray(claims.response_types) && claims.response_types.includes('code'))) {
    out.push('response_types must include "code" when grant_types includes authorization_code');
  }
  out.push(...subsetProblems(claims, 'exchange_purposes', t.exchangePurposes, t.exchangePurposes.length > 0));
  const scope = claims.scope;
  if (scope !== undefined) {
    if (typeof scope !== 'string') out.push('scope must be a string of space-separated scopes');
    else if (t.scopes.length) {
      const extra = scope.split(' ').filter((s) => s && !t.scopes.includes(s));
      if (extra.length) out.push(`scope ${list(extra)} not allowed by the template (allowed: ${list(t.scopes)})`);
    }
  }
  // the status endpoint compares exp as a whole number of seconds, and takes jti in a query string
  for (const claim of ['iat', 'exp'] as const) {
    if (!Number.isSafeInteger(claims[claim])) out.push(`${claim} must be a whole number of seconds`);
  }
  if (typeof claims.jti === 'string' && (claims.jti.length === 0 || claims.jti.length > MAX_JTI_LENGTH)) {
    out.push(`jti must be 1 to ${MAX_JTI_LENGTH} characters`);
  }
  for (const claim of ['developer_name', 'client_name', 'software_id', 'software_version', 'client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'launch_uri', 'jwks_uri', 'token_endpoint_auth_method']) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'string') out.push(`${claim} must be a string`);
  }
  for (const claim of ['contacts', 'redirect_uris', 'ip_allowed']) {
    if (claims[claim] !== undefined && !isStringArray(claims[claim])) out.push(`${claim} must be an array of strings`);
  }
  return out;
}
