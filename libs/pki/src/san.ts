// SAN URI rules. The UDAP IG matches the JWT `iss` to a SAN URI by exact string compare, so the
// platform only issues URIs in one canonical form: lowercase scheme and host, no default port,
// path/query/fragment byte-exact (UDAP profile "SAN governance"; RFC 3986 §6.2.2-6.2.3).
import { LEAF_PROFILE_RULES, type LeafProfile } from '@anchorage/contracts';
import { PkiError } from './errors';

/** Longest SAN URI the platform accepts. */
export const MAX_SAN_URI_LENGTH = 2048;

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

// RFC 3986 Appendix B, anchored; the authority is split further below.
const URI_RE = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/;
// Characters RFC 3986 §2 allows anywhere in a URI (unreserved, reserved, '%').
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

interface UriParts {
  scheme: string;
  authority: string | null;
  userinfo: string | null;
  host: string;
  port: string | null;
  rest: string;
}

function splitUri(input: string): UriParts | null {
  const m = URI_RE.exec(input);
  if (!m) return null;
  const authority = m[2] === undefined ? null : m[3];
  let userinfo: string | null = null;
  let host = '';
  let port: string | null = null;
  if (authority !== null) {
    const at = authority.lastIndexOf('@');
    if (at >= 0) userinfo = authority.slice(0, at);
    const hostPort = authority.slice(at + 1);
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
    if (!pm) return null;
    host = pm[1];
    port = pm[2] ?? null;
  }
  return { scheme: m[1], authority, userinfo, host, port, rest: (m[4] ?? '') + (m[5] ?? '') + (m[6] ?? '') };
}

/**
 * The canonical form of a URI: lowercase scheme and host, default port (:80 http, :443 https) and
 * empty port removed, leading zeros of the port dropped; everything else byte-exact (no "/" added).
 * Throws PkiError 'san-invalid' when the input is not an absolute URI.
 */
export function canonicalSanUri(input: string): string {
  const p = splitUri(input);
  if (!p) throw new PkiError('san-invalid', `SAN URI "${input}" is not an absolute URI`);
  const scheme = p.scheme.toLowerCase();
  if (p.authority === null) return `${scheme}:${p.rest}`;
  let port = p.port;
  if (port !== null && /^[0-9]+$/.test(port)) port = String(Number(port));
  if (port === '' || (port !== null && DEFAULT_PORTS[scheme] === port)) port = null;
  const userinfo = p.userinfo === null ? '' : `${p.userinfo}@`;
  return `${scheme}://${userinfo}${p.host.toLowerCase()}${port === null ? '' : `:${port}`}${p.rest}`;
}

/** Options of checkSanUri. */
export interface SanUriOptions {
  /** A leaf profile's `san.requireHttps` (LEAF_PROFILE_RULES); false for URIs bound to an organization. */
  requireHttps: boolean;
}

/**
 * Validates one SAN URI (RFC 5280 §4.2.1.6: absolute, RFC 3986 syntax, IA5 characters) against the
 * UDAP rules; returns it unchanged when valid, throws PkiError 'san-invalid' otherwise. A non-canonical
 * input is rejected with the canonical form in the message, never silently rewritten, because the
 * holder's `iss` must equal the SAN byte for byte. TEFCA-style fragments ("#T-TREAT") are allowed.
 */
export function checkSanUri(input: string, opts: SanUriOptions): string {
  const fail = (msg: string): never => {
    throw new PkiError('san-invalid', msg, { uri: input });
  };
  if (typeof input !== 'string' || input.length === 0) fail('SAN URI is empty');
  if (input.length > MAX_SAN_URI_LENGTH) fail(`SAN URI is longer than ${MAX_SAN_URI_LENGTH} characters`);
  if (/\s/.test(input)) fail(`SAN URI "${input}" contains whitespace`);
  if (/[^\x21-\x7e]/.test(input)) fail(`SAN URI "${input}" contains non-ASCII or control characters; percent-encode them`);
  if (!URI_CHARS.test(input)) fail(`SAN URI "${input}" contains characters RFC 3986 does not allow`);
  if (/%(?![0-9A-Fa-f]{2})/.test(input)) fail(`SAN URI "${input}" has a malformed percent-encoding`);
  const p = splitUri(input);
  if (!p) return fail(`SAN URI "${input}" is not an absolute URI (scheme required)`);
  const scheme = p.scheme.toLowerCase();
  if (p.userinfo !== null) fail(`SAN URI "${input}" must not contain userinfo ("user@")`);
  if (opts.requireHttps && scheme !== 'https') fail(`SAN URI "${input}" must use https`);
  if (scheme === 'http' || scheme === 'https' || p.authority !== null) {
    if (!p.host) fail(`SAN URI "${input}" has no host`);
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$/.test(p.host)) fail(`SAN URI "${input}" has an invalid host "${p.host}"`);
    if (p.port !== null && p.port !== '' && !/^[0-9]+$/.test(p.port)) fail(`SAN URI "${input}" has an invalid port`);
    if (p.port !== null && Number(p.port) > 65535) fail(`SAN URI "${input}" has an invalid port`);
  } else if (p.rest === '') {
    fail(`SAN URI "${input}" has no scheme-specific part`);
  }
  const canonical = canonicalSanUri(input);
  if (canonical !== input) fail(`SAN URI "${input}" is not canonical; use "${canonical}"`);
  return input;
}

/** Whether a leaf profile's SAN URIs must be https, as LEAF_PROFILE_RULES states. */
export function sanRequiresHttps(profile: LeafProfile): boolean {
  return LEAF_PROFILE_RULES[profile].san.requireHttps;
}

/** Checks a leaf's SAN URI list: at least one, each valid and canonical, no duplicates. */
export function checkSanUris(uris: readonly string[], opts: SanUriOptions): string[] {
  if (uris.length === 0) throw new PkiError('san-invalid', 'at least one SAN URI is required');
  const seen = new Set<string>();
  for (const uri of uris) {
    checkSanUri(uri, opts);
    if (seen.has(uri)) throw new PkiError('san-invalid', `SAN URI "${uri}" is listed twice`, { uri });
    seen.add(uri);
  }
  return [...uris];
}
