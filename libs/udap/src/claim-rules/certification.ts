// Certification claims beyond the common ones (udap.org Certifications and Endorsements §1; the UDAP
// STU2 §7.4.1 template): certification_name, certification_uris (one or more URIs), and an exp no later
// than the notAfter of the certifier's certificate.
import { IG } from '../sections';
import { isUri, readString, stringArray, type ClaimContext } from './context';

/** Checks the certification-specific claims. */
export function checkCertification(ctx: ClaimContext): void {
  const section = ctx.sections.profile;
  readString(ctx, 'certification_name', section);
  const uris = stringArray(ctx.claims.certification_uris);
  if (uris === null) {
    ctx.f.add('claim-missing', section, 'the required claim "certification_uris" is missing', { claim: 'certification_uris' });
  } else if (uris === false || !uris.every(isUri)) {
    ctx.f.add('certification-uris-invalid', section, 'certification_uris must be an array of one or more URIs', { claim: 'certification_uris' });
  }
  const exp = ctx.claims.exp;
  if (typeof exp === 'number' && ctx.leaf && exp * 1000 > ctx.leaf.parts.notAfter.getTime()) {
    ctx.f.add('certification-outlives-certificate', IG.certificationClaims,
      `the certification expires at ${new Date(exp * 1000).toISOString()}, after the certifier's certificate (${ctx.leaf.parts.notAfter.toISOString()})`, { claim: 'exp', depth: 0 });
  }
}
