// Key references: opaque strings naming a key in a backend, never a display name (architecture
// habit 8: secrets are passed by reference, e.g. a PKCS#11 URI).
import { SignerError } from './errors';

/** Prefix of software-backend key references. */
export const SOFT_PREFIX = 'soft:';
/** Prefix of PKCS#11 key references (RFC 7512 URI scheme). */
export const PKCS11_PREFIX = 'pkcs11:';

const SOFT_KEY_ID = /^[0-9a-f]{32}$/;

/**
 * A key reference made safe for error messages: an RFC 7512 URI may carry a `pin-value` query attribute, so any
 * query part is dropped, PIN attributes are masked and overlong input is cut.
 */
export function describeKeyRef(keyRef: unknown): string {
  if (typeof keyRef !== 'string') return `<${typeof keyRef}>`;
  const shown = keyRef.split('?')[0].replace(/(pin-value|pin-source)=[^;]*/gi, '$1=<redacted>');
  return `'${shown.length > 160 ? `${shown.slice(0, 160)}…` : shown}${keyRef.includes('?') ? '?…' : ''}'`;
}

/** Formats `soft:<keyId>`. */
export function formatSoftKeyRef(keyId: string): string {
  return `${SOFT_PREFIX}${keyId}`;
}

/** Parses `soft:<32 hex>`; the strict pattern also keeps the id safe to use as a file name. */
export function parseSoftKeyRef(keyRef: string): string {
  const id = keyRef.startsWith(SOFT_PREFIX) ? keyRef.slice(SOFT_PREFIX.length) : '';
  if (!SOFT_KEY_ID.test(id)) throw new SignerError(`not a software key reference: ${describeKeyRef(keyRef)}`);
  return id;
}

/** A parsed PKCS#11 key reference: token label and CKA_ID. */
export interface Pkcs11KeyRef {
  token: string;
  id: Buffer;
}

/** RFC 7512 percent-encoding: keeps unreserved characters, encodes every other byte. */
function pctEncode(bytes: Uint8Array, keepUnreserved: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += keepUnreserved && /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Formats `pkcs11:token=<label>;id=<%xx…>` (RFC 7512; the id is binary, so every byte is percent-encoded). */
export function formatPkcs11KeyRef(ref: Pkcs11KeyRef): string {
  return `${PKCS11_PREFIX}token=${pctEncode(Buffer.from(ref.token, 'utf8'), true)};id=${pctEncode(ref.id, false)}`;
}

/** Parses a reference made by formatPkcs11KeyRef (other RFC 7512 path attributes are rejected). */
export function parsePkcs11KeyRef(keyRef: string): Pkcs11KeyRef {
  if (typeof keyRef !== 'string') throw new SignerError(`not a PKCS#11 key reference: ${describeKeyRef(keyRef)}`);
  const bad = (why: string) => new SignerError(`not a PKCS#11 key reference (${why}): ${describeKeyRef(keyRef)}`);
  if (!keyRef.startsWith(PKCS11_PREFIX)) throw bad('scheme');
  const attrs = new Map<string, Buffer>();
  for (const part of keyRef.slice(PKCS11_PREFIX.length).split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad('attribute syntax');
    const name = part.slice(0, eq);
    if (name !== 'token' && name !== 'id') throw bad(`unexpected attribute '${name.slice(0, 32)}'`);
    if (attrs.has(name)) throw bad(`repeated attribute '${name}'`);
    attrs.set(name, pctDecode(part.slice(eq + 1), bad));
  }
  const token = attrs.get('token');
  const id = attrs.get('id');
  if (!token || token.length === 0) throw bad('missing token');
  if (!id || id.length === 0) throw bad('missing id');
  return { token: token.toString('utf8'), id };
}

function pctDecode(value: string, bad: (why: string) => Error): Buffer {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw bad('percent-encoding');
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (/[A-Za-z0-9\-._~]/.test(value[i])) {
      out.push(value.charCodeAt(i));
    } else {
      throw bad(`character '${value[i]}' must be percent-encoded`);
    }
  }
  return Buffer.from(out);
}
