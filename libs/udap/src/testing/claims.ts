// Test-only: claim sets of each UDAP JWT kind that pass the verifier, for tests to break one claim at a time.
import { randomUUID } from 'node:crypto';

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** A client_credentials software statement of the client `iss` for the registration endpoint `aud`. */
export function softwareStatementClaims(iss: string, aud: string, now: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = seconds(now);
  return {
    iss, sub: iss, aud, iat, exp: iat + 300, jti: randomUUID(),
    client_name: 'Acme B2B App', contacts: ['mailto:b2b-operations@example.com'], grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Patient.read system/Procedure.read',
    ...extra,
  };
}

/** The extra claims of an authorization_code software statement. */
export const AUTHORIZATION_CODE_REGISTRATION = {
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['https://app.example.org/redirect'],
  logo_uri: 'https://app.example.org/logo.png',
  scope: 'user/Patient.read',
} as const;

/** signed_metadata of the FHIR server at `baseUrl`, valid for 30 days. */
export function signedMetadataClaims(baseUrl: string, now: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = seconds(now);
  return {
    iss: baseUrl, sub: baseUrl, iat, exp: iat + 30 * 86_400, jti: randomUUID(),
    authorization_endpoint: `${baseUrl}/oauth/authorize`, token_endpoint: `${baseUrl}/oauth/token`, registration_endpoint: `${baseUrl}/oauth/register`,
    ...extra,
  };
}

/** An hl7-b2b extension object with the required keys. */
export function hl7B2b(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '1', organization_id: 'https://member.example.org/org', organization_name: 'Member Org',
    purpose_of_use: ['urn:oid:2.16.840.1.113883.5.8#TREAT'], ...extra,
  };
}

/** An authentication token of `clientId` for `tokenEndpoint` with an hl7-b2b extension (client credentials). */
export function authenticationTokenClaims(clientId: string, tokenEndpoint: string, now: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = seconds(now);
  return { iss: clientId, sub: clientId, aud: tokenEndpoint, iat, exp: iat + 300, jti: randomUUID(), extensions: { 'hl7-b2b': hl7B2b() }, ...extra };
}

/** A certification by `iss` of the client `sub`, valid for 90 days. */
export function certificationClaims(iss: string, sub: string, now: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = seconds(now);
  return {
    iss, sub, iat, exp: iat + 90 * 86_400, jti: randomUUID(),
    certification_name: 'Example HL7 Client App Certification',
    certification_uris: ['https://community.example.org/certifications/basic-app'],
    grant_types: ['client_credentials'],
    ...extra,
  };
}
