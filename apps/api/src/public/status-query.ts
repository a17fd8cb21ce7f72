// The query of the certification status endpoint (docs/certifications.md): `jti` and `exp`, once each,
// and nothing else, checked on the hot path without URLSearchParams.

/** Longest jti the status endpoint takes (the platform records none longer). */
const MAX_JTI = 256;
const STATUS_QUERY = 'give jti (1 to 256 characters) and exp (the certification\'s exp, whole seconds), once each, and nothing else';

/** The jti and exp of a status query (`jti=...&exp=...`, either order), or a message saying what is wrong. */
export function parseStatusQuery(query: string): { jti: string; exp: number } | string {
  let jti: string | undefined;
  let exp: string | undefined;
  if (query === '') return `${STATUS_QUERY} (jti is missing)`;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? '' : part.slice(eq + 1);
    if (value.includes('%') || value.includes('+')) {
      try {
        value = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        return `the value of ${name} is not valid percent-encoding`;
      }
    }
    if (name === 'jti' && jti === undefined) jti = value;
    else if (name === 'exp' && exp === undefined) exp = value;
    else return `${STATUS_QUERY} (got ${name ? `"${name.slice(0, 40)}"` : 'an empty parameter'}${name === 'jti' || name === 'exp' ? ' twice' : ''})`;
  }
  if (jti === undefined || exp === undefined) return `${STATUS_QUERY} (${jti === undefined ? 'jti' : 'exp'} is missing)`;
  if (jti.length === 0 || jti.length > MAX_JTI) return `jti must be 1 to ${MAX_JTI} characters`;
  if (!/^[0-9]{1,12}$/.test(exp)) return 'exp must be a whole number of seconds (NumericDate, RFC 7519 §2)';
  return { jti, exp: Number(exp) };
}
