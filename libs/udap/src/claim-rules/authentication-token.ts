// Authentication token claims beyond the common ones (UDAP STU2 §5.2.1): the client_id is bound to a SAN
// URI of x5c[0] at registration (udap.org JWT client auth §6.3), and `extensions` carries hl7-b2b for the
// client credentials grant and omits it for the authorization code grant.
import { isRecord } from '../jws';
import { IG } from '../sections';
import type { ClaimContext } from './context';
import { checkHl7B2b } from './hl7-b2b';

/** Checks the client binding and the extensions of an authentication token. */
export function checkAuthenticationToken(ctx: ClaimContext): void {
  const san = ctx.expected.registeredSanUri;
  if (san !== undefined && ctx.leaf && !ctx.leaf.info.sanUris.includes(san)) {
    ctx.f.add('registered-san-not-in-certificate', ctx.sections.validation,
      `the client registered with SAN URI "${san}", which x5c[0] does not carry (SAN URIs: ${ctx.leaf.info.sanUris.join(', ') || 'none'})`, { depth: 0 });
  }
  const extensions = ctx.claims.extensions;
  if (extensions !== undefined && !isRecord(extensions)) {
    ctx.f.add('claim-invalid', IG.authenticationToken, 'the claim "extensions" must be a JSON object', { claim: 'extensions' });
    return;
  }
  const b2b = extensions?.['hl7-b2b'];
  if (b2b === undefined) {
    if (ctx.expected.grantType === 'client_credentials') {
      ctx.f.add('b2b-extension-missing', IG.authenticationToken, 'extensions.hl7-b2b is required for the client credentials grant', { claim: 'extensions.hl7-b2b' });
    }
    return;
  }
  if (ctx.expected.grantType === 'authorization_code') {
    ctx.f.add('b2b-extension-unexpected', IG.authenticationToken, 'extensions.hl7-b2b is to be omitted for the authorization code grant', { claim: 'extensions.hl7-b2b' });
  }
  checkHl7B2b(ctx, b2b);
}
