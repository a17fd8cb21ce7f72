// PEM armour (RFC 7468) and the JWS x5c form (RFC 7515 §4.1.6) of DER objects.
import { PkiError } from './errors';

/** One decoded PEM block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Wraps DER in RFC 7468 armour with 64-character lines and a trailing newline. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every PEM block in the text, in order; throws PkiError 'validation' for mismatched labels or bad base64. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const [, begin, body, end] = m;
    if (begin !== end) throw new PkiError('validation', `PEM block "BEGIN ${begin}" ends with "END ${end}"`);
    const b64 = body.replace(/\s+/g, '');
    if (/^[\w-]+:/m.test(body)) throw new PkiError('validation', `PEM block "${begin}" has headers; encrypted PEM is not supported`);
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
      throw new PkiError('validation', `PEM block "${begin}" is not valid base64`);
    }
    out.push({ label: begin, der: new Uint8Array(Buffer.from(b64, 'base64')) });
  }
  return out;
}

/** DER of all PEM blocks in the text, or only those with `label` when given. */
export function fromPem(text: string, label?: string): Uint8Array[] {
  return pemBlocks(text)
    .filter((b) => label === undefined || b.label === label)
    .map((b) => b.der);
}

/** Concatenated "CERTIFICATE" PEM blocks (leaf first, then intermediates). */
export function certificatesToPem(ders: readonly Uint8Array[]): string {
  return ders.map((d) => toPem(d, 'CERTIFICATE')).join('');
}

/** The JWS `x5c` array: standard base64 (not base64url) DER, leaf first (RFC 7515 §4.1.6). */
export function x5c(ders: readonly Uint8Array[]): string[] {
  return ders.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64'));
}

/**
 * One X.509 certificate given as DER or as text holding exactly one "CERTIFICATE" PEM block (an
 * operator's upload); throws PkiError 'validation' naming `what` otherwise. The DER is not parsed here.
 */
export function certificateDerFrom(input: string | Uint8Array, what = 'certificate'): Uint8Array {
  if (input instanceof Uint8Array && input[0] === 0x30) return Uint8Array.from(input);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const blocks = pemBlocks(text);
  if (blocks.length !== 1 || blocks[0].label !== 'CERTIFICATE') {
    const found = blocks.length ? blocks.map((b) => `"${b.label}"`).join(', ') : 'none';
    throw new PkiError('validation', `${what} must be DER or exactly one "CERTIFICATE" PEM block (found ${found})`);
  }
  return blocks[0].der;
}
