// Just enough DER (X.690 §8, §10) to build SubjectPublicKeyInfo and Ecdsa-Sig-Value and to unwrap
// PKCS#11 attribute values, so the signer does not depend on the PKI library.
import { SignerError } from './errors';

/** Encodes a DER length (X.690 §8.1.3, definite form). */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER TLV with the given tag byte. */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** DER SEQUENCE of already-encoded elements. */
export function derSequence(...elements: Uint8Array[]): Buffer {
  return derTlv(0x30, Buffer.concat(elements));
}

/** DER INTEGER of an unsigned big-endian magnitude (minimal, with a 0x00 pad when the high bit is set). */
export function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = Buffer.from(magnitude.subarray(start));
  if (trimmed.length === 0) return derTlv(0x02, Buffer.from([0]));
  return derTlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** DER BIT STRING with no unused bits. */
export function derBitString(bytes: Uint8Array): Buffer {
  return derTlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

/** DER NULL. */
export const DER_NULL = Buffer.from([0x05, 0x00]);

/** Reads one TLV at the start of `der`; returns its tag, content and total encoded length. */
export function derReadTlv(der: Uint8Array): { tag: number; content: Buffer; length: number } {
  const buf = Buffer.from(der);
  if (buf.length < 2) throw new SignerError('truncated DER value');
  const tag = buf[0];
  let offset = 2;
  let length = buf[1];
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || buf.length < 2 + count) throw new SignerError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[2 + i];
    offset = 2 + count;
  }
  if (offset + length > buf.length) throw new SignerError('truncated DER value');
  return { tag, content: buf.subarray(offset, offset + length), length: offset + length };
}
