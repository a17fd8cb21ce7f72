// signed_metadata claims beyond the common ones (UDAP STU2 §2.3): iss is the server's FHIR base URL, the
// token and registration endpoints are present, the authorization endpoint when the unsigned metadata has
// one, and every endpoint of the unsigned metadata matches its signed value (udap.org Server Metadata §3.4).
import { IG } from '../sections';
import { isUrl, type ClaimContext } from './context';

const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const;

/** Checks the endpoint claims of signed metadata. */
export function checkSignedMetadata(ctx: ClaimContext): void {
  const section = ctx.sections.profile;
  if (ctx.expected.iss === undefined) {
    ctx.f.add('base-url-not-checked', section, 'no expected FHIR base URL was given, so iss was not compared with the server that served the metadata', { claim: 'iss' });
  }
  const unsigned = ctx.expected.unsignedMetadata;
  for (const name of ENDPOINTS) {
    const value = ctx.claims[name];
    const required = name !== 'authorization_endpoint' || (unsigned !== undefined && unsigned[name] !== undefined);
    if (value === undefined) {
      if (required) ctx.f.add('claim-missing', section, `the claim "${name}" is missing${name === 'authorization_endpoint' ? ' (the unsigned metadata has one)' : ''}`, { claim: name });
    } else if (!isUrl(value)) {
      ctx.f.add('claim-invalid', section, `the claim "${name}" must be an absolute URL`, { claim: name });
    }
    const plain = unsigned?.[name];
    if (plain !== undefined && value !== undefined && plain !== value) {
      ctx.f.add('metadata-endpoint-mismatch', IG.metadataEndpoints, `${name} of the unsigned metadata (${JSON.stringify(plain)}) differs from the signed value (${JSON.stringify(value)})`, { claim: name });
    }
  }
}
