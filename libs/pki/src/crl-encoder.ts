// Streaming X.509 v2 CRL encoder (RFC 5280 §5). Hot path: 100k–1M entries. Each entry's DER goes
// straight into one growable buffer (capacity doubles); no per-entry objects are kept. The TBSCertList
// header is written into room reserved in front of the entries, and finishSigned writes the outer
// CertificateList header and signature around it in place, so finishing copies nothing.
import { RevocationReason } from '@anchorage/contracts';
import { algorithmIdentifierDer, type SignatureAlgorithm } from './algorithms';
import { concatBytes } from './bytes';
import { derExplicit, derInteger, derLengthSize, derTime, Tag, usesUtcTime, writeDerLength, writeTimeChars } from './der';
import { readRoot } from './der-reader';
import { authorityKeyIdentifierExtension, encodeExtensions, type Extension } from './extensions';
import { PkiError } from './errors';
import { OID } from './oids';

/** Inputs of a CRL; all times come from the caller's clock. */
export interface CrlEncoderOptions {
  /** The CA's subject Name DER (byte-identical to its certificate's subject). */
  issuer: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Strictly increasing per CA (RFC 5280 §5.2.3), at most 20 octets. */
  crlNumber: bigint;
  /** The CA's subject key identifier (RFC 5280 §5.2.1). */
  authorityKeyId: Uint8Array;
  /** Makes this a delta CRL over the given base CRL number (RFC 5280 §5.2.4); allows removeFromCRL. */
  baseCrlNumber?: bigint;
  /** Capacity hint, in entries, to avoid early regrowth. */
  expectedEntries?: number;
  /** Total size of the entries to be added, exact or a close upper estimate: the buffer is then allocated once (it grows past it if needed). */
  expectedBytes?: number;
}

// Fixed entry-extension encodings (RFC 5280 §5.3.1 reasonCode, §5.3.2 invalidityDate):
// SEQUENCE { OID 2.5.29.21, OCTET STRING { ENUMERATED r } } and
// SEQUENCE { OID 2.5.29.24, OCTET STRING { GeneralizedTime } }.
const REASON_PREFIX = Uint8Array.of(0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01);
const REASON_EXT_LEN = REASON_PREFIX.length + 1;
const INVALIDITY_PREFIX = Uint8Array.of(0x30, 0x18, 0x06, 0x03, 0x55, 0x1d, 0x18, 0x04, 0x11, 0x18, 0x0f);
const INVALIDITY_EXT_LEN = INVALIDITY_PREFIX.length + 15;
const MAX_HEADER_OCTETS = 6; // tag + up to 5 length octets
// Room kept after the TBS for finishSigned: BIT STRING header (tag, up to 3 length octets, unused-bits
// octet) and a signature of up to 1024 octets (RSA-8192; ECDSA P-521 DER is under 140).
const MAX_SIGNATURE_OCTETS = 1024;
const SIGNATURE_TAIL = 5 + MAX_SIGNATURE_OCTETS;
const DEFAULT_CAPACITY = 64 * 1024;
const GROWTH_STEP = 16 * 1024 * 1024;
const VALID_REASONS = new Set<number>(Object.values(RevocationReason));

/** Streams revoked-certificate entries into DER and produces the TBSCertList to sign. */
export class CrlEncoder {
  private buf: Uint8Array;
  private pos: number;
  private readonly reserve: number;
  private readonly fixedHeader: Uint8Array;
  private readonly crlExtensions: Uint8Array;
  private readonly algorithmId: Uint8Array;
  private signed: Uint8Array | null = null;
  private readonly delta: boolean;
  private count = 0;
  private result: Uint8Array | null = null;

  /** Validates the CRL-level fields and reserves room for the TBSCertList header. */
  constructor(opts: CrlEncoderOptions) {
    const { issuer, thisUpdate, nextUpdate, crlNumber, authorityKeyId } = opts;
    try {
      readRoot(issuer, Tag.sequence);
    } catch (e) {
      throw new PkiError('validation', `CRL issuer is not a DER Name: ${(e as Error).message}`);
    }
    if (!(thisUpdate.getTime() < nextUpdate.getTime())) {
      throw new PkiError('validation', 'CRL nextUpdate must be later than thisUpdate (RFC 5280 §5.1.2.5)');
    }
    checkCrlNumber(crlNumber, 'crlNumber');
    if (authorityKeyId.length === 0) throw new PkiError('validation', 'CRL authorityKeyId must not be empty');
    this.delta = opts.baseCrlNumber !== undefined;
    const extensions: Extension[] = [
      authorityKeyIdentifierExtension(authorityKeyId), // RFC 5280 §5.2.1 MUST
      { oid: OID.crlNumber, critical: false, value: derInteger(crlNumber) }, // §5.2.3 MUST, non-critical
    ];
    if (opts.baseCrlNumber !== undefined) {
      checkCrlNumber(opts.baseCrlNumber, 'baseCrlNumber');
      if (opts.baseCrlNumber >= crlNumber) throw new PkiError('validation', 'a delta CRL number must exceed its base CRL number');
      // §5.2.4: the delta CRL indicator is critical.
      extensions.push({ oid: OID.deltaCrlIndicator, critical: true, value: derInteger(opts.baseCrlNumber) });
    }
    this.crlExtensions = derExplicit(0, encodeExtensions(extensions));
    this.algorithmId = algorithmIdentifierDer(opts.signatureAlgorithm);
    this.fixedHeader = concatBytes([
      derInteger(1), // version v2 (§5.1.2.1: required when extensions are present)
      this.algorithmId,
      issuer,
      derTime(thisUpdate), // §5.1.2.4/5: UTCTime through 2049, GeneralizedTime after
      derTime(nextUpdate),
    ]);
    // CertificateList, TBSCertList and revokedCertificates headers go in front of the entries
    this.reserve = 3 * MAX_HEADER_OCTETS + this.fixedHeader.length;
    const tail = this.crlExtensions.length + this.algorithmId.length + SIGNATURE_TAIL;
    const hint = opts.expectedBytes !== undefined && opts.expectedBytes >= 0
      ? opts.expectedBytes
      : opts.expectedEntries && opts.expectedEntries > 0 ? opts.expectedEntries * 48 : DEFAULT_CAPACITY;
    this.buf = allocate(this.reserve + hint + tail);
    this.pos = this.reserve;
  }

  /** Number of entries added so far. */
  get entryCount(): number {
    return this.count;
  }

  /**
   * Appends one revokedCertificates entry. `serial` is the unsigned magnitude; `reasonCode` is an RFC 5280
   * CRLReason: 0 (unspecified) is omitted as §5.3.1 recommends, removeFromCRL (8) is accepted only in a
   * delta CRL, anything unknown throws. `invalidityDate` is written as GeneralizedTime (§5.3.2).
   * Uniqueness of serials is the caller's job (the database enforces it).
   */
  addEntry(serial: Uint8Array, revocationDate: Date, reasonCode?: number, invalidityDate?: Date): void {
    if (this.result) throw new PkiError('validation', 'CRL encoder already finished');
    const size = entrySize(serial, revocationDate, reasonCode, invalidityDate, this.delta);
    this.ensure(size);
    this.pos = writeEntry(this.buf, this.pos, serial, revocationDate, reasonCode, invalidityDate);
    this.count++;
  }

  /**
   * Appends `count` entries already DER-encoded by encodeCrlEntry, concatenated in `bytes` (copied
   * in). They are not re-parsed: the caller vouches that they came from encodeCrlEntry.
   */
  addEncodedEntries(bytes: Uint8Array, count: number): void {
    if (this.result) throw new PkiError('validation', 'CRL encoder already finished');
    if (!Number.isInteger(count) || count < 0 || (count === 0) !== (bytes.length === 0)) {
      throw new PkiError('validation', `entry count ${count} does not fit ${bytes.length} encoded octets`);
    }
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    this.count += count;
  }

  /**
   * Completes the TBSCertList: version v2, signature, issuer, thisUpdate, nextUpdate, revokedCertificates
   * (omitted when empty, §5.1.2.6), crlExtensions [0] { AKI, CRL Number }. Returns a view over the
   * encoder's buffer (no copy); calling it again returns the same bytes.
   */
  finishTbs(): Uint8Array {
    if (this.result) return this.result;
    const entriesLen = this.pos - this.reserve;
    this.ensure(this.crlExtensions.length + this.algorithmId.length + SIGNATURE_TAIL);
    const b = this.buf;
    const revokedHeaderLen = entriesLen > 0 ? 1 + derLengthSize(entriesLen) : 0;
    const contentLen = this.fixedHeader.length + revokedHeaderLen + entriesLen + this.crlExtensions.length;
    const start = this.reserve - revokedHeaderLen - this.fixedHeader.length - 1 - derLengthSize(contentLen);
    let p = start;
    b[p++] = Tag.sequence;
    p = writeDerLength(b, p, contentLen);
    b.set(this.fixedHeader, p);
    p += this.fixedHeader.length;
    if (entriesLen > 0) {
      b[p++] = Tag.sequence;
      writeDerLength(b, p, entriesLen);
    }
    b.set(this.crlExtensions, this.pos);
    const end = this.pos + this.crlExtensions.length;
    this.result = b.subarray(start, end);
    return this.result;
  }

  /**
   * Completes the CertificateList (RFC 5280 §5.1) around the finished TBS in the encoder's own buffer:
   * outer SEQUENCE header in the room reserved in front, then signatureAlgorithm and the signature
   * BIT STRING after it. Returns a view (no copy of the multi-megabyte TBS); `signature` is what the
   * signer returned for finishTbs()'s bytes (for ECDSA, the DER Ecdsa-Sig-Value, RFC 3279 §2.2.3).
   */
  finishSigned(signature: Uint8Array): Uint8Array {
    if (this.signed) throw new PkiError('validation', 'CRL already signed');
    if (signature.length === 0 || signature.length > MAX_SIGNATURE_OCTETS) {
      throw new PkiError('validation', `signature of ${signature.length} octets does not fit a CRL`);
    }
    const tbs = this.finishTbs();
    const tbsStart = tbs.byteOffset - this.buf.byteOffset;
    const tbsEnd = tbsStart + tbs.length;
    const bitsLen = signature.length + 1; // leading unused-bits octet (0)
    const tailLen = this.algorithmId.length + 1 + derLengthSize(bitsLen) + bitsLen;
    const contentLen = tbs.length + tailLen;
    const start = tbsStart - 1 - derLengthSize(contentLen);
    const b = this.buf;
    b[start] = Tag.sequence;
    writeDerLength(b, start + 1, contentLen);
    let p = tbsEnd;
    b.set(this.algorithmId, p);
    p += this.algorithmId.length;
    b[p++] = Tag.bitString;
    p = writeDerLength(b, p, bitsLen);
    b[p++] = 0;
    b.set(signature, p);
    p += signature.length;
    this.signed = b.subarray(start, p);
    return this.signed;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // doubles, but by at most GROWTH_STEP at a time: a buffer of tens of megabytes (a CRL larger than
    // its size hint) grows without holding three times its size while it is copied
    const next = allocate(Math.max(this.buf.length + Math.min(this.buf.length, GROWTH_STEP), this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/**
 * DER of one revokedCertificates entry (RFC 5280 §5.1.2.6), as CrlEncoder.addEntry writes it, for
 * storing at revocation time and appending later with addEncodedEntries. Same rules as addEntry in
 * a full (non-delta) CRL: removeFromCRL (8) is rejected.
 */
export function encodeCrlEntry(serial: Uint8Array, revocationDate: Date, reasonCode?: number, invalidityDate?: Date): Uint8Array {
  const out = new Uint8Array(entrySize(serial, revocationDate, reasonCode, invalidityDate, false));
  writeEntry(out, 0, serial, revocationDate, reasonCode, invalidityDate);
  return out;
}

/** Validates one entry's fields and returns its encoded size; the single rule set of addEntry and encodeCrlEntry. */
function entrySize(serial: Uint8Array, revocationDate: Date, reasonCode: number | undefined, invalidityDate: Date | undefined, delta: boolean): number {
  let s = 0;
  while (s < serial.length - 1 && serial[s] === 0) s++;
  const magLen = serial.length - s;
  if (magLen <= 0) throw new PkiError('validation', 'CRL entry serial must not be empty');
  const reason = reasonCode ?? 0;
  if (reason !== 0) {
    if (!Number.isInteger(reason) || !VALID_REASONS.has(reason)) {
      throw new PkiError('validation', `unknown CRLReason code ${reasonCode} (RFC 5280 §5.3.1)`);
    }
    if (reason === RevocationReason.removeFromCRL && !delta) {
      throw new PkiError('validation', 'removeFromCRL (8) may appear only in a delta CRL (RFC 5280 §5.3.1)');
    }
  }
  const revokedAt = revocationDate.getTime();
  if (revokedAt !== revokedAt) throw new PkiError('validation', 'invalid revocationDate'); // NaN
  if (invalidityDate && invalidityDate.getTime() !== invalidityDate.getTime()) throw new PkiError('validation', 'invalid invalidityDate');
  const serialContent = magLen + (serial[s] & 0x80 ? 1 : 0);
  const extContent = (reason !== 0 ? REASON_EXT_LEN : 0) + (invalidityDate ? INVALIDITY_EXT_LEN : 0);
  const entryContent =
    1 + derLengthSize(serialContent) + serialContent + (usesUtcTime(revocationDate) ? 15 : 17) + (extContent ? 2 + extContent : 0);
  return 1 + derLengthSize(entryContent) + entryContent;
}

/** Writes one entry validated by entrySize at `p` and returns the offset after it. */
function writeEntry(b: Uint8Array, p: number, serial: Uint8Array, revocationDate: Date, reasonCode: number | undefined, invalidityDate: Date | undefined): number {
  let s = 0;
  while (s < serial.length - 1 && serial[s] === 0) s++;
  const magLen = serial.length - s;
  const reason = reasonCode ?? 0;
  const pad = serial[s] & 0x80 ? 1 : 0;
  const serialContent = magLen + pad;
  const utc = usesUtcTime(revocationDate);
  const extContent = (reason !== 0 ? REASON_EXT_LEN : 0) + (invalidityDate ? INVALIDITY_EXT_LEN : 0);
  const entryContent =
    1 + derLengthSize(serialContent) + serialContent + (utc ? 15 : 17) + (extContent ? 2 + extContent : 0);
  b[p++] = Tag.sequence;
  p = writeDerLength(b, p, entryContent);
  b[p++] = Tag.integer;
  p = writeDerLength(b, p, serialContent);
  if (pad) b[p++] = 0;
  for (let k = s; k < serial.length; k++) b[p++] = serial[k]; // a loop beats subarray+set for <= 20 octets
  b[p++] = utc ? Tag.utcTime : Tag.generalizedTime;
  b[p++] = utc ? 13 : 15;
  p = writeTimeChars(b, p, revocationDate, !utc);
  if (extContent) {
    b[p++] = Tag.sequence;
    b[p++] = extContent;
    if (reason !== 0) {
      b.set(REASON_PREFIX, p);
      p += REASON_PREFIX.length;
      b[p++] = reason;
    }
    if (invalidityDate) {
      b.set(INVALIDITY_PREFIX, p);
      p = writeTimeChars(b, p + INVALIDITY_PREFIX.length, invalidityDate, true);
    }
  }
  return p;
}

function allocate(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size); // no zero-fill: every byte returned is written first
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

function checkCrlNumber(n: bigint, name: string): void {
  // RFC 5280 §5.2.3: a non-negative integer of at most 20 octets.
  if (typeof n !== 'bigint' || n < 0n || n >= 1n << 159n) {
    throw new PkiError('validation', `${name} must be a non-negative integer of at most 20 octets`);
  }
}
