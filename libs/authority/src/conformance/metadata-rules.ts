// The unsigned UDAP metadata a server must publish (UDAP STU2 §2.2 "Required UDAP Metadata"): each
// required element present with the type and values the table allows, and the conditional ones where
// their condition holds. Pure: the check-endpoint use case adds what it finds to the check's findings.
import type { StoredConformanceFinding } from '@anchorage/db';

const SECTION = 'UDAP STU2 §2.2';

type Add = (code: 'metadata-field-missing' | 'metadata-field-invalid', claim: string, message: string, severity?: 'error' | 'warning') => void;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isAbsoluteHttpsUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** JWS algorithms a UDAP party may name (UDAP STU2 §7.1.2); `none` and HMAC are never acceptable. */
const JWS_ALGS = new Set(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']);

/** Checks the unsigned metadata object `m` (STU2 §2.2); returns the findings. */
export function checkRequiredMetadata(m: Record<string, unknown>): StoredConformanceFinding[] {
  const out: StoredConformanceFinding[] = [];
  const add: Add = (code, claim, message, severity = 'error') => out.push({ code, severity, section: SECTION, message, claim });
  const array = (name: string, o: { min?: number } = {}): string[] | null => {
    const v = m[name];
    if (v === undefined) {
      add('metadata-field-missing', name, `the metadata element "${name}" is required`);
      return null;
    }
    if (!isStringArray(v)) {
      add('metadata-field-invalid', name, `"${name}" must be an array of strings`);
      return null;
    }
    if (o.min !== undefined && v.length < o.min) add('metadata-field-invalid', name, `"${name}" must have at least ${o.min} element${o.min === 1 ? '' : 's'}`);
    return v;
  };
  const url = (name: string, required: boolean, why = '') => {
    const v = m[name];
    if (v === undefined) {
      if (required) add('metadata-field-missing', name, `the metadata element "${name}" is required${why}`);
    } else if (!isAbsoluteHttpsUrl(v)) {
      add('metadata-field-invalid', name, `"${name}" must be an absolute URL`);
    }
  };

  const versions = array('udap_versions_supported', { min: 1 });
  if (versions && !(versions.length === 1 && versions[0] === '1')) add('metadata-field-invalid', 'udap_versions_supported', '"udap_versions_supported" must be the fixed array ["1"]');

  const grants = array('grant_types_supported', { min: 1 });
  if (grants) {
    const unknown = grants.filter((g) => !['authorization_code', 'refresh_token', 'client_credentials'].includes(g));
    if (unknown.length) add('metadata-field-invalid', 'grant_types_supported', `"grant_types_supported" names grant types UDAP does not define: ${unknown.map((g) => JSON.stringify(g)).join(', ')}`, 'warning');
    if (grants.includes('refresh_token') && !grants.includes('authorization_code')) {
      add('metadata-field-invalid', 'grant_types_supported', '"refresh_token" may only be listed with "authorization_code"');
    }
  }
  const clientCredentials = grants?.includes('client_credentials') ?? false;

  const profiles = array('udap_profiles_supported', { min: 2 });
  if (profiles) {
    for (const p of ['udap_dcr', 'udap_authn']) if (!profiles.includes(p)) add('metadata-field-invalid', 'udap_profiles_supported', `"udap_profiles_supported" must include "${p}"`);
    if (clientCredentials && !profiles.includes('udap_authz')) {
      add('metadata-field-invalid', 'udap_profiles_supported', '"udap_profiles_supported" must include "udap_authz" when "grant_types_supported" includes "client_credentials"');
    }
  }

  const extensions = array('udap_authorization_extensions_supported');
  if (extensions && extensions.length > 0) {
    const required = m.udap_authorization_extensions_required;
    if (required === undefined) {
      add('metadata-field-missing', 'udap_authorization_extensions_required', '"udap_authorization_extensions_required" is required when "udap_authorization_extensions_supported" is not empty');
    } else if (!isStringArray(required)) {
      add('metadata-field-invalid', 'udap_authorization_extensions_required', '"udap_authorization_extensions_required" must be an array of strings');
    } else if (required.some((k) => !extensions.includes(k))) {
      add('metadata-field-invalid', 'udap_authorization_extensions_required', '"udap_authorization_extensions_required" names extensions "udap_authorization_extensions_supported" does not list');
    }
  }

  const certifications = array('udap_certifications_supported');
  if (certifications && certifications.length > 0) {
    const required = m.udap_certifications_required;
    if (required === undefined) {
      add('metadata-field-missing', 'udap_certifications_required', '"udap_certifications_required" is required when "udap_certifications_supported" is not empty');
    } else if (!isStringArray(required)) {
      add('metadata-field-invalid', 'udap_certifications_required', '"udap_certifications_required" must be an array of strings');
    } else if (required.some((k) => !certifications.includes(k))) {
      add('metadata-field-invalid', 'udap_certifications_required', '"udap_certifications_required" names certifications "udap_certifications_supported" does not list');
    }
  }

  if (m.scopes_supported !== undefined && !isStringArray(m.scopes_supported)) add('metadata-field-invalid', 'scopes_supported', '"scopes_supported" must be an array of strings');

  url('authorization_endpoint', grants?.includes('authorization_code') ?? false, ' when "grant_types_supported" includes "authorization_code"');
  url('token_endpoint', true);
  url('registration_endpoint', true);

  const methods = array('token_endpoint_auth_methods_supported', { min: 1 });
  if (methods && !(methods.length === 1 && methods[0] === 'private_key_jwt')) {
    add('metadata-field-invalid', 'token_endpoint_auth_methods_supported', '"token_endpoint_auth_methods_supported" must be the fixed array ["private_key_jwt"]');
  }
  for (const name of ['token_endpoint_auth_signing_alg_values_supported', 'registration_endpoint_jwt_signing_alg_values_supported']) {
    const algs = array(name, { min: 1 });
    const bad = algs?.filter((a) => !JWS_ALGS.has(a)) ?? [];
    if (bad.length) add('metadata-field-invalid', name, `"${name}" names algorithms a UDAP party must not accept: ${bad.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  if (m.signed_metadata !== undefined && typeof m.signed_metadata !== 'string') add('metadata-field-invalid', 'signed_metadata', '"signed_metadata" must be a JWT (a string)');
  return out;
}
