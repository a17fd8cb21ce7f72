// A minimal strict DER reader (X.690 §10): pulls TLVs out of existing DER without re-encoding.
import { Tag } from './der';

/** Location of one TLV inside a buffer. */
export interface DerNode {
  /** The full identifier octet (class, constructed bit, tag number). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
}

/** Thrown for input that is not strict DER; callers map it to their own PkiError code. */
export class DerError extends Error {
  /** Creates a DER decoding error at the given offset. */
  constructor(message: string, public readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'DerError';
  }
}

/**
 * Reads the TLV header at `off` into `out` (reused to avoid allocations in hot loops) and returns it.
 * Rejects indefinite lengths, non-minimal length octets and high tag numbers (X.690 §10.1).
 */
export function readHeaderInto(buf: Uint8Array, off: number, limit: number, out: DerNode): DerNode {
  if (off + 2 > limit) throw new DerError('truncated TLV header', off);
  const tag = buf[off];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported', off);
  let p = off + 1;
  const first = buf[p++];
  let len: number;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER', off);
    if (n > 6) throw new DerError('length too large', off);
    if (p + n > limit) throw new DerError('truncated length', off);
    if (buf[p] === 0) throw new DerError('non-minimal length encoding', off);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
    if (len < 0x80) throw new DerError('non-minimal length encoding', off);
  }
  if (p + len > limit) throw new DerError('content runs past the end of its container', off);
  out.tag = tag;
  out.start = off;
  out.contentStart = p;
  out.end = p + len;
  return out;
}

/** Reads one TLV at `off` (bounded by `limit`, default the buffer end). */
export function readTlv(buf: Uint8Array, off = 0, limit = buf.length): DerNode {
  return readHeaderInto(buf, off, limit, { tag: 0, start: 0, contentStart: 0, end: 0 });
}

/** Reads the single TLV that must span the whole buffer (no trailing bytes). */
export function readRoot(buf: Uint8Array, expectedTag?: number): DerNode {
  const node = readTlv(buf, 0);
  if (node.end !== buf.length) throw new DerError('trailing bytes after the DER value', node.end);
  if (expectedTag !== undefined) expectTag(node, expectedTag);
  return node;
}

/** Throws a DerError unless `node.tag === tag`. */
export function expectTag(node: DerNode, tag: number): DerNode {
  if (node.tag !== tag) {
    throw new DerError(`expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`, node.start);
  }
  return node;
}

/** The direct children of a constructed TLV. */
export function children(buf: Uint8Array, node: DerNode): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DerError('not a constructed value', node.start);
  const out: DerNode[] = [];
  for (let off = node.contentStart; off < node.end; ) {
    const child = readTlv(buf, off, node.end);
    out.push(child);
    off = child.end;
  }
  return out;
}

/** The whole TLV bytes (a view, not a copy). */
export function rawTlv(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.start, node.end);
}

/** The content octets (a view, not a copy). */
export function contentOf(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.contentStart, node.end);
}

/** Decodes OBJECT IDENTIFIER content octets to dotted notation. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID', 0);
  // arcs below 2^46 in plain numbers (every OID in practice); BigInt only for larger ones
  const subs: (number | bigint)[] = [];
  let v = 0;
  let big: bigint | null = null;
  for (let i = 0; i < content.length; i++) {
    const b = content[i];
    if (v === 0 && big === null && b === 0x80) throw new DerError('non-minimal OID arc', i);
    if (big === null && v >= 2 ** 45) big = BigInt(v);
    if (big !== null) big = (big << 7n) | BigInt(b & 0x7f);
    else v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      subs.push(big ?? v);
      v = 0;
      big = null;
    } else if (i === content.length - 1) {
      throw new DerError('truncated OID arc', i);
    }
  }
  const head = subs[0];
  const parts: string[] = [];
  if (typeof head === 'bigint') parts.push('2', String(head - 80n));
  else if (head < 80) parts.push(String(Math.floor(head / 40)), String(head % 40));
  else parts.push('2', String(head - 80));
  for (let i = 1; i < subs.length; i++) parts.push(String(subs[i]));
  return parts.join('.');
}

/** Decodes an OID TLV. */
export function readOid(buf: Uint8Array, node: DerNode): string {
  return decodeOid(contentOf(buf, expectTag(node, Tag.oid)));
}

/** Decodes a non-negative INTEGER or ENUMERATED TLV to bigint; throws on negative or non-minimal values. */
export function readUnsigned(buf: Uint8Array, node: DerNode): bigint {
  const c = contentOf(buf, node);
  if (c.length === 0) throw new DerError('empty INTEGER', node.start);
  if (c[0] & 0x80) throw new DerError('negative INTEGER', node.start);
  if (c.length > 1 && c[0] === 0 && (c[1] & 0x80) === 0) throw new DerError('non-minimal INTEGER', node.start);
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  return v;
}

/** The unsigned magnitude of a positive INTEGER's content (the 0x00 sign pad removed), as a view. */
export function integerMagnitude(content: Uint8Array): Uint8Array {
  return content.length > 1 && content[0] === 0 ? content.subarray(1) : content;
}

/** Decodes a UTCTime or GeneralizedTime TLV in the 'Z' form RFC 5280 §4.1.2.5 requires. */
export function readTime(buf: Uint8Array, node: DerNode): Date {
  const s = String.fromCharCode(...contentOf(buf, node));
  let m: RegExpExecArray | null;
  let year: number;
  if (node.tag === Tag.utcTime) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
    if (!m) throw new DerError(`bad UTCTime "${s}"`, node.start);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (node.tag === Tag.generalizedTime) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
    if (!m) throw new DerError(`bad GeneralizedTime "${s}"`, node.start);
    year = Number(m[1]);
  } else {
    throw new DerError('expected a Time', node.start);
  }
  const [mo, d, h, mi, se] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, se));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new DerError(`invalid date "${s}"`, node.start);
  }
  if (year < 100) date.setUTCFullYear(year);
  return date;
}
