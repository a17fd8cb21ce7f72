// Software statement claims beyond the common ones (UDAP STU2 §3.1, Software Statement JWT Claims):
// client_name, grant_types, redirect_uris / response_types / logo_uri for authorization_code, contacts,
// token_endpoint_auth_method = private_key_jwt, scope.
import { isUrl, readString, stringArray, type ClaimContext } from './context';

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'];

/** grant_types: known values, exactly one of authorization_code / client_credentials, refresh_token only with authorization_code.
 *  An empty array is a request to cancel the registration (UDAP STU2 §3, "Modifying and Cancelling Registrations"). */
function checkGrantTypes(ctx: ClaimContext): string[] | undefined {
  const section = ctx.sections.profile;
  const raw = ctx.claims.grant_types;
  if (raw === undefined) {
    ctx.f.add('claim-missing', section, 'the required claim "grant_types" is missing', { claim: 'grant_types' });
    return undefined;
  }
  if (!Array.isArray(raw) || !raw.every((g) => typeof g === 'string')) {
    ctx.f.add('grant-types-invalid', section, 'grant_types must be an array of strings', { claim: 'grant_types' });
    return undefined;
  }
  const grants = raw as string[];
  if (grants.length === 0) return grants;
  const unknown = grants.filter((g) => !GRANT_TYPES.includes(g));
  if (unknown.length) ctx.f.add('grant-types-invalid', section, `grant_types has values outside ${GRANT_TYPES.join(', ')}: ${unknown.join(', ')}`, { claim: 'grant_types' });
  const code = grants.includes('authorization_code');
  if (code === grants.includes('client_credentials')) {
    ctx.f.add('grant-types-invalid', section, 'grant_types must include either "authorization_code" or "client_credentials", but not both', { claim: 'grant_types' });
  }
  if (grants.includes('refresh_token') && !code) {
    ctx.f.add('grant-types-invalid', section, '"refresh_token" is allowed only together with "authorization_code"', { claim: 'grant_types' });
  }
  return grants;
}

function checkRedirects(ctx: ClaimContext, code: boolean): void {
  const section = ctx.sections.profile;
  const raw = ctx.claims.redirect_uris;
  if (!code) {
    if (raw !== undefined) ctx.f.add('redirect-uris-invalid', section, 'redirect_uris must be absent unless grant_types includes "authorization_code"', { claim: 'redirect_uris' });
    return;
  }
  const uris = stringArray(raw);
  if (uris === null) {
    ctx.f.add('claim-missing', section, 'redirect_uris is required when grant_types includes "authorization_code"', { claim: 'redirect_uris' });
  } else if (uris === false || !uris.every((u) => isUrl(u, ['https:']))) {
    ctx.f.add('redirect-uris-invalid', section, 'redirect_uris must be an array of one or more https URIs', { claim: 'redirect_uris' });
  }
}

function checkResponseTypes(ctx: ClaimContext, code: boolean): void {
  const raw = ctx.claims.response_types;
  const ok = code ? Array.isArray(raw) && raw.length === 1 && raw[0] === 'code' : raw === undefined;
  if (!ok) {
    ctx.f.add('response-types-invalid', ctx.sections.profile,
      code ? 'response_types must be ["code"] when grant_types includes "authorization_code"' : 'response_types must be omitted unless grant_types includes "authorization_code"',
      { claim: 'response_types' });
  }
}

function checkLogo(ctx: ClaimContext, code: boolean): void {
  const section = ctx.sections.profile;
  const raw = ctx.claims.logo_uri;
  if (raw === undefined) {
    if (code) ctx.f.add('claim-missing', section, 'logo_uri is required when grant_types includes "authorization_code"', { claim: 'logo_uri' });
    return;
  }
  if (!isUrl(raw, ['https:'])) {
    ctx.f.add('logo-uri-invalid', section, 'logo_uri must be an https URL', { claim: 'logo_uri' });
  } else if (!/\.(png|jpe?g|gif)$/i.test(new URL(raw).pathname)) {
    ctx.f.add('logo-uri-format', section, 'logo_uri should reference a PNG, JPG or GIF image file', { claim: 'logo_uri' });
  }
}

function checkContacts(ctx: ClaimContext): void {
  const section = ctx.sections.profile;
  const contacts = stringArray(ctx.claims.contacts);
  if (contacts === null) {
    ctx.f.add('claim-missing', section, 'the required claim "contacts" is missing', { claim: 'contacts' });
  } else if (contacts === false || !contacts.some((c) => /^mailto:[^@\s]+@[^@\s]+$/i.test(c))) {
    ctx.f.add('contacts-invalid', section, 'contacts must be an array of URIs with at least one mailto: e-mail address', { claim: 'contacts' });
  }
}

/** Checks the registration claims of a software statement. */
export function checkSoftwareStatement(ctx: ClaimContext): void {
  const section = ctx.sections.profile;
  readString(ctx, 'client_name', section);
  const grants = checkGrantTypes(ctx);
  const code = grants?.includes('authorization_code') ?? false;
  if (grants !== undefined) {
    checkRedirects(ctx, code);
    checkResponseTypes(ctx, code);
    checkLogo(ctx, code);
  }
  checkContacts(ctx);
  const method = readString(ctx, 'token_endpoint_auth_method', section);
  if (method !== undefined && method !== 'private_key_jwt') {
    ctx.f.add('token-endpoint-auth-method', section, `token_endpoint_auth_method must be "private_key_jwt", not "${method}"`, { claim: 'token_endpoint_auth_method' });
  }
  readString(ctx, 'scope', section);
}
