// What every claim rule gets (the claims, the clock, the expected values, the signer's certificate) and
// small readers that record a finding when a claim is missing or has the wrong type.
import type { ParsedCertificate } from '../certificate';
import type { FindingList } from '../findings';
import type { KindSections } from '../sections';
import type { ExpectedClaims, UdapJwtKind } from '../types';

/** Input of the claim rules. */
export interface ClaimContext {
  kind: UdapJwtKind;
  claims: Record<string, unknown>;
  now: Date;
  expected: ExpectedClaims;
  /** x5c[0], when it could be parsed. */
  leaf?: ParsedCertificate;
  sections: KindSections;
  f: FindingList;
}

/** Reads a string claim; records claim-missing when absent and claim-invalid when not a non-empty string. */
export function readString(ctx: ClaimContext, name: string, section: string, required = true): string | undefined {
  const v = ctx.claims[name];
  if (v === undefined) {
    if (required) ctx.f.add('claim-missing', section, `the required claim "${name}" is missing`, { claim: name });
    return undefined;
  }
  if (typeof v !== 'string' || v === '') {
    ctx.f.add('claim-invalid', section, `the claim "${name}" must be a non-empty string`, { claim: name });
    return undefined;
  }
  return v;
}

/** Reads a NumericDate claim (seconds since the epoch); records claim-missing / claim-invalid / claim-not-integer. */
export function readNumericDate(ctx: ClaimContext, name: string, section: string): number | undefined {
  const v = ctx.claims[name];
  if (v === undefined) {
    ctx.f.add('claim-missing', section, `the required claim "${name}" is missing`, { claim: name });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    ctx.f.add('claim-invalid', section, `the claim "${name}" must be a number of seconds since the epoch`, { claim: name });
    return undefined;
  }
  if (!Number.isInteger(v)) ctx.f.add('claim-not-integer', section, `the claim "${name}" should be an integer`, { claim: name });
  return v;
}

/** The values of an `aud` claim (a string or an array of strings), or null when it has another shape. */
export function audValues(v: unknown): string[] | null {
  if (typeof v === 'string' && v !== '') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' && a !== '')) return v as string[];
  return null;
}

/** True for an absolute URL with the given schemes (default http and https). */
export function isUrl(s: unknown, schemes: readonly string[] = ['http:', 'https:']): s is string {
  if (typeof s !== 'string') return false;
  try {
    return schemes.includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** True for an absolute URI (RFC 3986 scheme ":" ...), e.g. urn:oid:2.16.840.1.113883.4.6#1234567890. */
export function isUri(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);
}

/** Reads an array of strings; null when absent, false when it is not a non-empty array of strings. */
export function stringArray(v: unknown): string[] | null | false {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length === 0 || !v.every((e) => typeof e === 'string')) return false;
  return v as string[];
}
