// Certifications and endorsements of client apps (udap.org "UDAP Certifications and Endorsements for
// Client Applications"; UDAP STU2 §7.4.1 template): the claim names, the lifetime bound, and the
// built-in TEFCA Basic App template a community may adopt in one call (docs/certifications.md).
import type { BUILT_IN_CERTIFICATION_TEMPLATE_NAMES } from './cli-constants';
import { TEFCA_EXCHANGE_PURPOSES } from './exchange-purposes';

/** Longest a certification may live: exp at most 3 years after iat (udap.org Certifications and Endorsements §1). */
export const CERTIFICATION_MAX_YEARS = 3;

/** The grant types a certification may name (the UDAP Security IG's). */
export const CERTIFICATION_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** The TEFCA exchange purposes the built-in template lists: the top-level codes of the TEFCA preset catalog (exchange-purposes.ts). */
const TEFCA_TOP_LEVEL_PURPOSES = TEFCA_EXCHANGE_PURPOSES.map((p) => p.code).filter((code) => code.split('-').length === 2);

/** What a certification template says: the certification claims and what the certification may grant. */
export interface CertificationTemplateSpec {
  /** certification_name. */
  name: string;
  /** certification_uris: where the certification's criteria are published. */
  uris: string[];
  /** certification_logo. */
  logoUri?: string | null;
  /** certification_description. */
  description?: string | null;
  /** grant_types a certification of this template may carry (at least one). */
  grantTypes: string[];
  /** Scopes it may carry in `scope` (empty or absent: not restricted). */
  scopes?: string[];
  /** response_types it may carry (empty or absent: none). */
  responseTypes?: string[];
  /** Exchange purposes it may carry in `exchange_purposes` (empty or absent: none). */
  exchangePurposes?: string[];
  /** Whether it is an endorsement rather than a certification (is_endorsement). */
  isEndorsement?: boolean;
}

/** The built-in templates, by the name a community adopts them with. */
export const BUILT_IN_CERTIFICATION_TEMPLATES: Readonly<Record<(typeof BUILT_IN_CERTIFICATION_TEMPLATE_NAMES)[number], CertificationTemplateSpec>> = {
  // The TEFCA Basic App certification (Facilitated FHIR SOP): an app taking part in TEFCA FHIR exchange
  // for the listed exchange purposes, with either UDAP grant.
  'tefca-basic-app': {
    name: 'TEFCA Basic App Certification',
    uris: ['https://rce.sequoiaproject.org/udap/profiles/basic-app-certification'],
    description: 'The app meets the TEFCA Basic App criteria for FHIR exchange under the listed exchange purposes.',
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    responseTypes: ['code'],
    exchangePurposes: [...TEFCA_TOP_LEVEL_PURPOSES],
    isEndorsement: false,
  },
};
/** The name of a built-in template. */
export type BuiltInCertificationTemplate = keyof typeof BUILT_IN_CERTIFICATION_TEMPLATES;

/**
 * The claims of a certification beyond iss, sub, aud, iat, exp and jti (udap.org Certifications and
 * Endorsements §1 and its claims table): the certification's own, and what it says about the app.
 */
export const CERTIFICATION_CLAIMS = [
  'certification_name', 'certification_logo', 'certification_description', 'certification_uris', 'certification_status_endpoint', 'is_endorsement',
  'developer_name', 'developer_address', 'client_name', 'software_id', 'software_version', 'client_uri', 'logo_uri', 'tos_uri', 'policy_uri',
  'contacts', 'launch_uri', 'redirect_uris', 'ip_allowed', 'grant_types', 'response_types', 'scope', 'token_endpoint_auth_method', 'jwks_uri', 'jwks',
  'exchange_purposes',
] as const;
