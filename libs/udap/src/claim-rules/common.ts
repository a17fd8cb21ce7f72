// Claims every UDAP JWT carries: iss (a SAN URI of x5c[0], byte for byte), sub, aud where the kind has
// one, exp/iat (current at `now`, lifetime bounded per kind) and jti (UDAP STU2 §7.1.4 and each kind's table).
import type { UdapJwtKind } from '../types';
import { audValues, readNumericDate, readString, type ClaimContext } from './context';

/** Tolerated clock difference for `iat` in the future. */
export const CLOCK_SKEW_SECONDS = 60;

/** Longest lifetime (exp - iat) per kind: 5 minutes (software statement, authentication token), 1 year (signed metadata), 3 years (certification). */
export const MAX_LIFETIME: Readonly<Record<UdapJwtKind, { seconds?: number; years?: number; label: string }>> = {
  'software-statement': { seconds: 300, label: '5 minutes' },
  'authentication-token': { seconds: 300, label: '5 minutes' },
  'signed-metadata': { years: 1, label: '1 year' },
  certification: { years: 3, label: '3 years' },
};

/** The latest allowed exp for an iat, in seconds (calendar years for the long-lived kinds). */
export function latestExp(kind: UdapJwtKind, iat: number): number {
  const max = MAX_LIFETIME[kind];
  if (max.seconds !== undefined) return iat + max.seconds;
  const d = new Date(iat * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + (max.years ?? 0));
  return d.getTime() / 1000;
}

// authentication tokens carry the client_id as iss (bound to a SAN URI at registration), the other kinds a SAN URI
const ISS_IS_SAN_URI: Readonly<Record<UdapJwtKind, boolean>> = {
  'software-statement': true, 'signed-metadata': true, certification: true, 'authentication-token': false,
};
// sub equals iss: the software statement (§3.1), signed metadata (§2.3) and the authentication token (client_id twice, §5.2.1)
const SUB_IS_ISS: Readonly<Record<UdapJwtKind, boolean>> = {
  'software-statement': true, 'signed-metadata': true, certification: false, 'authentication-token': true,
};
const AUD: Readonly<Record<UdapJwtKind, 'required' | 'optional' | 'none'>> = {
  'software-statement': 'required', 'authentication-token': 'required', certification: 'optional', 'signed-metadata': 'none',
};

function checkIssInSan(ctx: ClaimContext, iss: string): void {
  if (!ctx.leaf) return;
  const sans = ctx.leaf.info.sanUris;
  if (sans.includes(iss)) return;
  const other = iss.endsWith('/') ? iss.slice(0, -1) : `${iss}/`;
  const listed = sans.length ? sans.map((s) => `"${s}"`).join(', ') : 'none';
  if (sans.includes(other)) {
    ctx.f.add('iss-trailing-slash-mismatch', ctx.sections.profile,
      `iss "${iss}" matches the SAN URI "${other}" only up to a trailing slash; relying parties compare byte for byte`, { claim: 'iss', depth: 0 });
  } else {
    ctx.f.add('iss-not-in-san', ctx.sections.profile, `iss "${iss}" is not a SAN URI of the x5c[0] certificate (SAN URIs: ${listed})`, { claim: 'iss', depth: 0 });
  }
}

function checkAud(ctx: ClaimContext): void {
  const rule = AUD[ctx.kind];
  if (rule === 'none') return;
  const raw = ctx.claims.aud;
  if (raw === undefined) {
    if (rule === 'required') ctx.f.add('claim-missing', ctx.sections.profile, 'the required claim "aud" is missing', { claim: 'aud' });
    return;
  }
  const aud = audValues(raw);
  if (!aud) {
    ctx.f.add('claim-invalid', ctx.sections.profile, 'the claim "aud" must be a string or an array of strings', { claim: 'aud' });
    return;
  }
  const want = ctx.expected.aud;
  if (want === undefined) return;
  const wanted = typeof want === 'string' ? [want] : [...want];
  if (!aud.some((a) => wanted.includes(a))) {
    ctx.f.add('aud-mismatch', ctx.sections.validation, `aud ${JSON.stringify(raw)} does not name this endpoint (${wanted.join(', ')})`, { claim: 'aud' });
  }
}

function checkTimes(ctx: ClaimContext): void {
  const { profile, validation } = ctx.sections;
  const exp = readNumericDate(ctx, 'exp', profile);
  const iat = readNumericDate(ctx, 'iat', profile);
  const now = ctx.now.getTime() / 1000;
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) {
    ctx.f.add('iat-in-future', validation, `iat ${new Date(iat * 1000).toISOString()} is in the future`, { claim: 'iat' });
  }
  if (exp !== undefined && exp <= now) {
    ctx.f.add('jwt-expired', validation, `the JWT expired at ${new Date(exp * 1000).toISOString()}`, { claim: 'exp' });
  }
  if (exp === undefined || iat === undefined) return;
  if (exp < iat) {
    ctx.f.add('exp-before-iat', profile, 'exp is before iat', { claim: 'exp' });
  } else if (exp > latestExp(ctx.kind, iat)) {
    ctx.f.add('lifetime-exceeded', profile,
      `exp is ${exp - iat} s after iat; a ${ctx.kind} may live at most ${MAX_LIFETIME[ctx.kind].label}`, { claim: 'exp' });
  }
}

/** Checks iss, sub, aud, exp, iat and jti as the kind requires, and the expected iss/sub/aud. */
export function checkCommonClaims(ctx: ClaimContext): void {
  const { profile, validation } = ctx.sections;
  const iss = readString(ctx, 'iss', profile);
  const sub = readString(ctx, 'sub', profile);
  readString(ctx, 'jti', profile);
  if (iss !== undefined && ISS_IS_SAN_URI[ctx.kind]) checkIssInSan(ctx, iss);
  if (iss !== undefined && sub !== undefined && SUB_IS_ISS[ctx.kind] && sub !== iss) {
    ctx.f.add('sub-not-iss', profile, `sub "${sub}" must equal iss "${iss}"`, { claim: 'sub' });
  }
  if (ctx.expected.iss !== undefined && iss !== undefined && iss !== ctx.expected.iss) {
    // signed metadata: the IG itself requires iss = the server's FHIR base URL (§2.3)
    const section = ctx.kind === 'signed-metadata' ? profile : validation;
    ctx.f.add('iss-mismatch', section, `iss "${iss}" is not the expected "${ctx.expected.iss}"`, { claim: 'iss' });
  }
  if (ctx.expected.sub !== undefined && sub !== undefined && sub !== ctx.expected.sub) {
    ctx.f.add('sub-mismatch', validation, `sub "${sub}" is not the expected "${ctx.expected.sub}"`, { claim: 'sub' });
  }
  checkAud(ctx);
  checkTimes(ctx);
}
