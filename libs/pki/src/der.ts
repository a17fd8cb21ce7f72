// A small DER writer (ITU-T X.690 §10): definite, minimal lengths; single-byte tags only.

/** Universal and context tag bytes used by X.509 structures. */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Number of bytes `derLength(n)` produces. */
export function derLengthSize(n: number): number {
  if (n < 0x80) return 1;
  let size = 1;
  for (let v = n; v > 0; v = Math.floor(v / 256)) size++;
  return size;
}

/** DER length octets: short form below 128, otherwise minimal long form (X.690 §10.1). */
export function derLength(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid DER length ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  const size = derLengthSize(n) - 1;
  const out = new Uint8Array(size + 1);
  out[0] = 0x80 | size;
  for (let i = size, v = n; i >= 1; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** Writes `derLength(n)` into `buf` at `off`; returns the new offset (hot path for the CRL encoder). */
export function writeDerLength(buf: Uint8Array, off: number, n: number): number {
  if (n < 0x80) {
    buf[off] = n;
    return off + 1;
  }
  const size = derLengthSize(n) - 1;
  buf[off] = 0x80 | size;
  for (let i = size, v = n; i >= 1; i--, v = Math.floor(v / 256)) buf[off + i] = v & 0xff;
  return off + size + 1;
}

/** A TLV with a single-byte tag and the concatenated content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`unsupported tag ${tag}`);
  }
  let len = 0;
  for (const c of content) len += c.length;
  const lenBytes = derLength(len);
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  let off = 1 + lenBytes.length;
  for (const c of content) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** SEQUENCE of the given encoded parts. */
export function derSequence(...parts: Uint8Array[]): Uint8Array {
  return tlv(Tag.sequence, ...parts);
}

/** SET OF the given encoded parts, sorted by encoding as DER requires (X.690 §11.6). */
export function derSet(...parts: Uint8Array[]): Uint8Array {
  const sorted = [...parts].sort(compareBytes);
  return tlv(Tag.set, ...sorted);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Minimal two's-complement content octets of a non-negative integer: leading zeros stripped,
 * 0x00 prefixed when the high bit is set (X.690 §8.3.2). Byte input is read as an unsigned magnitude.
 */
export function integerContent(value: Uint8Array | bigint | number): Uint8Array {
  let mag: Uint8Array;
  if (value instanceof Uint8Array) {
    mag = value;
  } else {
    const big = typeof value === 'number' ? toBigInt(value) : value;
    if (big < 0n) throw new RangeError('derInteger encodes non-negative values only');
    let hex = big.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    mag = Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  if (mag.length === 0) return Uint8Array.of(0);
  let start = 0;
  while (start < mag.length - 1 && mag[start] === 0) start++;
  const body = mag.subarray(start);
  if (body[0] & 0x80) {
    const out = new Uint8Array(body.length + 1);
    out.set(body, 1);
    return out;
  }
  return Uint8Array.from(body);
}

function toBigInt(n: number): bigint {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return BigInt(n);
}

/** INTEGER (non-negative) from an unsigned big-endian magnitude, a bigint or a safe integer. */
export function derInteger(value: Uint8Array | bigint | number): Uint8Array {
  return tlv(Tag.integer, integerContent(value));
}

/** ENUMERATED (non-negative), e.g. CRLReason (RFC 5280 §5.3.1). */
export function derEnumerated(value: number): Uint8Array {
  return tlv(Tag.enumerated, integerContent(value));
}

/** Content octets of an OBJECT IDENTIFIER (X.690 §8.19), arcs of any size. */
export function oidContent(dotted: string): Uint8Array {
  const t = oidTlv(dotted);
  return t.slice(t[1] < 0x80 ? 2 : 2 + (t[1] & 0x7f));
}

/** OBJECT IDENTIFIER from dotted notation. */
export function derOid(dotted: string): Uint8Array {
  return oidTlv(dotted).slice(); // the cached bytes are shared: every caller gets its own copy
}

// The platform writes a few dozen distinct OIDs millions of times: each is encoded once. Bounded, so
// OIDs from outside (community policy OIDs) cannot grow it without limit.
const OID_CACHE_MAX = 1024;
const oidCache = new Map<string, Uint8Array>();

function oidTlv(dotted: string): Uint8Array {
  let t = oidCache.get(dotted);
  if (!t) {
    t = tlv(Tag.oid, encodeOid(dotted));
    if (oidCache.size < OID_CACHE_MAX) oidCache.set(dotted, t);
  }
  return t;
}

function encodeOid(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) throw new RangeError(`invalid OID "${dotted}"`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs[0] < 2n && arcs[1] > 39n) throw new RangeError(`invalid OID "${dotted}"`);
  const subs = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const sub of subs) {
    const chunk: number[] = [Number(sub & 0x7fn)];
    for (let v = sub >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

/** NULL. */
export function derNull(): Uint8Array {
  return Uint8Array.of(Tag.null, 0);
}

/** BOOLEAN; DER encodes TRUE as 0xFF (X.690 §11.1). */
export function derBoolean(b: boolean): Uint8Array {
  return Uint8Array.of(Tag.boolean, 1, b ? 0xff : 0);
}

/** BIT STRING with the given number of unused bits in the last octet. */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`invalid unused bit count ${unusedBits}`);
  }
  return tlv(Tag.bitString, Uint8Array.of(unusedBits), bytes);
}

/**
 * BIT STRING of named bits (e.g. KeyUsage): bit 0 is the MSB of the first octet; trailing zero bits
 * are removed as DER requires for named bit lists (X.690 §11.2.2).
 */
export function derNamedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return derBitString(new Uint8Array(0));
  const max = Math.max(...bits);
  const bytes = new Uint8Array((max >> 3) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  return derBitString(bytes, 7 - (max & 7));
}

/** OCTET STRING. */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  return tlv(Tag.octetString, bytes);
}

/** UTF8String. */
export function derUtf8String(s: string): Uint8Array {
  return tlv(Tag.utf8String, new TextEncoder().encode(s));
}

/** Characters allowed in PrintableString (X.680 §41.4). */
export const PRINTABLE_STRING = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** PrintableString; throws RangeError for characters outside its repertoire. */
export function derPrintableString(s: string): Uint8Array {
  if (!PRINTABLE_STRING.test(s)) throw new RangeError(`not a PrintableString: "${s}"`);
  return tlv(Tag.printableString, asciiBytes(s));
}

/** IA5String (ASCII); throws RangeError for non-ASCII input. */
export function derIa5String(s: string): Uint8Array {
  if (!/^[\x00-\x7f]*$/.test(s)) throw new RangeError(`not an IA5String: "${s}"`);
  return tlv(Tag.ia5String, asciiBytes(s));
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** True when RFC 5280 §4.1.2.5 requires UTCTime (years 1950 through 2049). */
export function usesUtcTime(date: Date): boolean {
  const y = date.getUTCFullYear();
  return y >= 1950 && y <= 2049;
}

/**
 * Writes the ASCII of a UTCTime/GeneralizedTime (no fraction, 'Z') into buf; returns the new offset.
 * Hot path of the CRL encoder: integer arithmetic only, no global lookups per call.
 */
export function writeTimeChars(buf: Uint8Array, off: number, date: Date, generalized: boolean): number {
  const ms = date.getTime();
  if (ms !== ms) throw new RangeError('invalid date'); // NaN
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new RangeError(`year ${y} cannot be encoded`);
  if (generalized) off = put2(buf, off, (y / 100) | 0);
  off = put2(buf, off, y % 100);
  off = put2(buf, off, date.getUTCMonth() + 1);
  off = put2(buf, off, date.getUTCDate());
  off = put2(buf, off, date.getUTCHours());
  off = put2(buf, off, date.getUTCMinutes());
  off = put2(buf, off, date.getUTCSeconds());
  buf[off] = 0x5a; // 'Z'
  return off + 1;
}

function put2(buf: Uint8Array, off: number, v: number): number {
  const tens = (v / 10) | 0;
  buf[off] = 0x30 + tens;
  buf[off + 1] = 0x30 + v - tens * 10;
  return off + 2;
}

/**
 * Time per RFC 5280 §4.1.2.5 / §5.1.2.4: UTCTime YYMMDDHHMMSSZ for 1950–2049, GeneralizedTime
 * YYYYMMDDHHMMSSZ otherwise; fractional seconds are truncated (never encoded).
 */
export function derTime(date: Date): Uint8Array {
  return usesUtcTime(date) ? derUtcTime(date) : derGeneralizedTime(date);
}

/** UTCTime YYMMDDHHMMSSZ; the year must be 1950–2049. */
export function derUtcTime(date: Date): Uint8Array {
  if (!usesUtcTime(date)) throw new RangeError('UTCTime covers 1950-2049 only (RFC 5280 §4.1.2.5.1)');
  const out = new Uint8Array(15);
  out[0] = Tag.utcTime;
  out[1] = 13;
  writeTimeChars(out, 2, date, false);
  return out;
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2, also §5.3.2 invalidityDate). */
export function derGeneralizedTime(date: Date): Uint8Array {
  const out = new Uint8Array(17);
  out[0] = Tag.generalizedTime;
  out[1] = 15;
  writeTimeChars(out, 2, date, true);
  return out;
}

/** [tagNo] EXPLICIT: a constructed context tag wrapping the encoded content. */
export function derExplicit(tagNo: number, ...content: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | contextTag(tagNo), ...content);
}

/** [tagNo] IMPLICIT over a primitive type: raw content octets under a primitive context tag. */
export function derImplicitPrimitive(tagNo: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | contextTag(tagNo), content);
}

/** [tagNo] IMPLICIT over a constructed type (SEQUENCE/SET): inner TLVs under a constructed context tag. */
export function derImplicitConstructed(tagNo: number, ...content: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | contextTag(tagNo), ...content);
}

function contextTag(tagNo: number): number {
  if (!Number.isInteger(tagNo) || tagNo < 0 || tagNo > 30) throw new RangeError(`unsupported context tag ${tagNo}`);
  return tagNo;
}
