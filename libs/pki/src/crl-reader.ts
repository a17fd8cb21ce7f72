// Minimal streaming CRL reader (RFC 5280 §5.1): header fields and entry scans without building an
// object per entry, so CRLs with a million entries can be inspected cheaply.
import { fromHex } from './bytes';
import { Tag } from './der';
import {
  children,
  contentOf,
  DerError,
  type DerNode,
  expectTag,
  readHeaderInto,
  readOid,
  readRoot,
  readTime,
  readUnsigned,
} from './der-reader';
import { PkiError } from './errors';
import { OID } from './oids';

/** Header facts of a CRL. */
export interface CrlInfo {
  /** 2 for v2 CRLs. */
  version: number;
  signatureAlgorithmOid: string;
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: bigint | null;
  /** Base CRL number when this is a delta CRL. */
  deltaBaseCrlNumber: bigint | null;
  authorityKeyId: Uint8Array | null;
  entryCount: number;
}

/** One revoked entry found by findSerial. */
export interface CrlEntryInfo {
  revocationDate: Date;
  /** RFC 5280 CRLReason; null when the entry has no reasonCode (unspecified). */
  reasonCode: number | null;
  invalidityDate: Date | null;
}

interface CrlLayout {
  /** Direct children of the TBSCertList (the entry list is a single node here). */
  fields: DerNode[];
  /** Index of the signature AlgorithmIdentifier (1 when a version is present, else 0). */
  algIndex: number;
  nextUpdate: DerNode | null;
  revoked: DerNode | null;
  extensions: DerNode | null;
}

const isTime = (n: DerNode | undefined): n is DerNode => !!n && (n.tag === Tag.utcTime || n.tag === Tag.generalizedTime);

/** Locates the TBSCertList fields (RFC 5280 §5.1): version?, signature, issuer, thisUpdate, nextUpdate?, revoked?, [0]?. */
function layout(der: Uint8Array): CrlLayout {
  const root = readRoot(der, Tag.sequence);
  const top = children(der, root);
  if (top.length !== 3) throw new DerError('CertificateList needs 3 fields', root.start);
  const tbs = expectTag(top[0], Tag.sequence);
  const fields = children(der, tbs);
  const algIndex = fields[0]?.tag === Tag.integer ? 1 : 0;
  let i = algIndex + 3; // past signature, issuer, thisUpdate
  if (!isTime(fields[i - 1])) throw new DerError('thisUpdate is not a Time', tbs.start);
  const nextUpdate = isTime(fields[i]) ? fields[i++] : null;
  const revoked = fields[i]?.tag === Tag.sequence ? fields[i++] : null;
  const extensions = fields[i]?.tag === 0xa0 ? fields[i++] : null;
  if (i !== fields.length) throw new DerError('unexpected field in TBSCertList', fields[i].start);
  return { fields, algIndex, nextUpdate, revoked, extensions };
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError('validation', `malformed CRL: ${(e as Error).message}`);
  }
}

/** Reads version, issuer, times, CRL number, AKI and the entry count; throws PkiError 'validation'. */
export function readCrlInfo(der: Uint8Array): CrlInfo {
  return wrap(() => {
    const { fields, algIndex, nextUpdate: nextNode, revoked, extensions } = layout(der);
    const version = algIndex === 1 ? Number(readUnsigned(der, fields[0])) + 1 : 1;
    const alg = children(der, expectTag(fields[algIndex], Tag.sequence));
    const signatureAlgorithmOid = readOid(der, alg[0]);
    const issuer = expectTag(fields[algIndex + 1], Tag.sequence);
    const thisUpdate = readTime(der, fields[algIndex + 2]);
    const nextUpdate = nextNode ? readTime(der, nextNode) : null;
    let entryCount = 0;
    if (revoked) forEachEntry(der, revoked, () => void entryCount++);
    let crlNumber: bigint | null = null;
    let deltaBaseCrlNumber: bigint | null = null;
    let authorityKeyId: Uint8Array | null = null;
    if (extensions) {
      const [list] = children(der, extensions);
      for (const ext of children(der, expectTag(list, Tag.sequence))) {
        const parts = children(der, ext);
        const oid = readOid(der, parts[0]);
        const value = contentOf(der, expectTag(parts[parts.length - 1], Tag.octetString));
        if (oid === OID.crlNumber) crlNumber = readUnsigned(value, readRoot(value, Tag.integer));
        if (oid === OID.deltaCrlIndicator) deltaBaseCrlNumber = readUnsigned(value, readRoot(value, Tag.integer));
        if (oid === OID.authorityKeyIdentifier) {
          const keyId = children(value, readRoot(value, Tag.sequence)).find((n) => n.tag === 0x80);
          authorityKeyId = keyId ? Uint8Array.from(contentOf(value, keyId)) : null;
        }
      }
    }
    return {
      version,
      signatureAlgorithmOid,
      issuerDer: Uint8Array.from(der.subarray(issuer.start, issuer.end)),
      thisUpdate,
      nextUpdate,
      crlNumber,
      deltaBaseCrlNumber,
      authorityKeyId,
      entryCount,
    };
  });
}

/** Visits each entry with its node and serial INTEGER node (both reused between calls); stops when visit returns true. */
function forEachEntry(der: Uint8Array, revoked: DerNode, visit: (entry: DerNode, serial: DerNode) => boolean | void): void {
  const entry: DerNode = { tag: 0, start: 0, contentStart: 0, end: 0 };
  const serial: DerNode = { tag: 0, start: 0, contentStart: 0, end: 0 };
  for (let off = revoked.contentStart; off < revoked.end; off = entry.end) {
    readHeaderInto(der, off, revoked.end, entry);
    if (entry.tag !== Tag.sequence) throw new DerError('revokedCertificates entry is not a SEQUENCE', off);
    readHeaderInto(der, entry.contentStart, entry.end, serial);
    if (serial.tag !== Tag.integer) throw new DerError('entry serial is not an INTEGER', serial.start);
    if (visit(entry, serial) === true) return;
  }
}

function normaliseSerial(serial: Uint8Array | string): Uint8Array {
  const bytes = typeof serial === 'string' ? fromHex(serial) : serial;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function sameBytes(der: Uint8Array, start: number, end: number, target: Uint8Array): boolean {
  if (end - start !== target.length) return false;
  for (let k = 0; k < target.length; k++) if (der[start + k] !== target[k]) return false;
  return true;
}

/** Finds the entry for a serial (magnitude bytes or hex) by scanning the DER in place; null when absent. */
export function findSerial(der: Uint8Array, serial: Uint8Array | string): CrlEntryInfo | null {
  const target = normaliseSerial(serial);
  return wrap(() => {
    const { revoked } = layout(der);
    if (!revoked) return null;
    let found: DerNode | null = null;
    forEachEntry(der, revoked, (entry, s) => {
      const padded = s.end - s.contentStart > 1 && der[s.contentStart] === 0;
      if (!sameBytes(der, s.contentStart + (padded ? 1 : 0), s.end, target)) return false;
      found = { ...entry };
      return true;
    });
    const hit = found as DerNode | null; // assigned inside the callback
    return hit ? describeEntry(der, hit) : null;
  });
}

/** True when the CRL lists the serial (magnitude bytes or hex). */
export function hasSerial(der: Uint8Array, serial: Uint8Array | string): boolean {
  return findSerial(der, serial) !== null;
}

function describeEntry(der: Uint8Array, entry: DerNode): CrlEntryInfo {
  const [, date, exts] = children(der, entry);
  const out: CrlEntryInfo = { revocationDate: readTime(der, date), reasonCode: null, invalidityDate: null };
  if (!exts) return out;
  for (const ext of children(der, expectTag(exts, Tag.sequence))) {
    const parts = children(der, ext);
    const oid = readOid(der, parts[0]);
    const value = contentOf(der, expectTag(parts[parts.length - 1], Tag.octetString));
    if (oid === OID.reasonCode) out.reasonCode = Number(readUnsigned(value, readRoot(value, Tag.enumerated)));
    if (oid === OID.invalidityDate) out.invalidityDate = readTime(value, readRoot(value, Tag.generalizedTime));
  }
  return out;
}
