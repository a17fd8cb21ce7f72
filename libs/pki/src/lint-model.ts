// Read-back of a TBSCertificate for lint: a strict DER decode (der-reader.ts) that shares nothing with
// the encoders in der.ts, extensions.ts and tbs-certificate.ts, so the lint checks what a reader sees
// in the bytes the templates wrote. Typed decoders for the extensions the rules look at; each throws
// a DerError when the extension value is not the structure RFC 5280 defines.
import { Tag } from './der';
import {
  children, contentOf, DerError, type DerNode, expectTag, rawTlv, readOid, readRoot, readTime, readUnsigned,
} from './der-reader';

/** One extension as read from the TBS. */
export interface LintExtension {
  oid: string;
  critical: boolean;
  /** True when `critical` was encoded as an explicit FALSE (DER omits DEFAULT values, X.690 §11.5). */
  criticalEncodedFalse: boolean;
  /** The extnValue content (the extension's own DER). */
  value: Uint8Array;
}

/** The fields lint rules look at. */
export interface LintTbs {
  version: number;
  /** Serial INTEGER content octets exactly as encoded (sign octet included). */
  serialContent: Uint8Array;
  signatureOid: string;
  issuerDer: Uint8Array;
  issuerRdnCount: number;
  subjectDer: Uint8Array;
  subjectRdnCount: number;
  notBefore: { date: Date; utcTime: boolean };
  notAfter: { date: Date; utcTime: boolean };
  spkiDer: Uint8Array;
  extensions: LintExtension[];
}

const ctx = (n: number) => 0xa0 | n; // [n] constructed, context-specific

function rdnCount(der: Uint8Array, node: DerNode): number {
  const rdns = children(der, expectTag(node, Tag.sequence));
  for (const set of rdns) {
    const atvs = children(der, expectTag(set, Tag.set));
    if (atvs.length === 0) throw new DerError('empty RelativeDistinguishedName', set.start);
    for (const atv of atvs) {
      const [type, value, extra] = children(der, expectTag(atv, Tag.sequence));
      if (!type || !value || extra) throw new DerError('AttributeTypeAndValue needs a type and a value', atv.start);
      readOid(der, type);
    }
  }
  return rdns.length;
}

function time(der: Uint8Array, node: DerNode): { date: Date; utcTime: boolean } {
  return { date: readTime(der, node), utcTime: node.tag === Tag.utcTime };
}

function readBoolean(der: Uint8Array, node: DerNode): boolean {
  const c = contentOf(der, expectTag(node, Tag.boolean));
  if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) throw new DerError('BOOLEAN must be one octet, 00 or FF (DER)', node.start);
  return c[0] === 0xff;
}

function readExtensions(der: Uint8Array, node: DerNode): LintExtension[] {
  const [list, extra] = children(der, node);
  if (!list || extra) throw new DerError('extensions [3] must hold one SEQUENCE', node.start);
  return children(der, expectTag(list, Tag.sequence)).map((e) => {
    const parts = children(der, expectTag(e, Tag.sequence));
    if (parts.length < 2 || parts.length > 3) throw new DerError('Extension needs extnID, critical?, extnValue', e.start);
    const critical = parts.length === 3 ? readBoolean(der, parts[1]) : false;
    return {
      oid: readOid(der, parts[0]),
      critical,
      criticalEncodedFalse: parts.length === 3 && !critical,
      value: contentOf(der, expectTag(parts[parts.length - 1], Tag.octetString)).slice(),
    };
  });
}

/** Decodes TBSCertificate DER (RFC 5280 §4.1); throws a DerError describing the first problem. */
export function parseTbsForLint(tbsDer: Uint8Array): LintTbs {
  const fields = children(tbsDer, readRoot(tbsDer, Tag.sequence));
  let i = 0;
  let version = 0;
  if (fields[i]?.tag === ctx(0)) {
    const [v, extra] = children(tbsDer, fields[i++]);
    if (!v || extra) throw new DerError('version [0] must hold one INTEGER', fields[0].start);
    version = Number(readUnsigned(tbsDer, expectTag(v, Tag.integer)));
  }
  const need = (what: string): DerNode => {
    const f = fields[i++];
    if (!f) throw new DerError(`TBSCertificate ends before its ${what}`, tbsDer.length);
    return f;
  };
  const serial = expectTag(need('serialNumber'), Tag.integer);
  const alg = children(tbsDer, expectTag(need('signature'), Tag.sequence));
  if (!alg[0] || alg.length > 2) throw new DerError('malformed signature AlgorithmIdentifier', fields[i - 1].start);
  const issuer = need('issuer');
  const validity = children(tbsDer, expectTag(need('validity'), Tag.sequence));
  if (validity.length !== 2) throw new DerError('Validity needs notBefore and notAfter', fields[i - 1].start);
  const subject = need('subject');
  const spki = expectTag(need('subjectPublicKeyInfo'), Tag.sequence);
  let extensions: LintExtension[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i];
    if (f.tag === 0x81 || f.tag === 0x82 || f.tag === 0xa1 || f.tag === 0xa2) continue; // unique IDs: RFC 5280 forbids them for CAs; ignored here
    if (f.tag !== ctx(3) || i !== fields.length - 1) throw new DerError(`unexpected field with tag 0x${f.tag.toString(16)}`, f.start);
    extensions = readExtensions(tbsDer, f);
  }
  const serialContent = contentOf(tbsDer, serial);
  if (serialContent.length === 0) throw new DerError('empty serialNumber', serial.start);
  return {
    version,
    serialContent: serialContent.slice(),
    signatureOid: readOid(tbsDer, alg[0]),
    issuerDer: rawTlv(tbsDer, issuer).slice(),
    issuerRdnCount: rdnCount(tbsDer, issuer),
    subjectDer: rawTlv(tbsDer, subject).slice(),
    subjectRdnCount: rdnCount(tbsDer, subject),
    notBefore: time(tbsDer, validity[0]),
    notAfter: time(tbsDer, validity[1]),
    spkiDer: rawTlv(tbsDer, spki).slice(),
    extensions,
  };
}

/** GeneralNames (RFC 5280 §4.2.1.6): the uniformResourceIdentifier values and a count of other names. */
export interface GeneralNameUris {
  uris: string[];
  others: number;
}

function generalNames(der: Uint8Array, nodes: DerNode[]): GeneralNameUris {
  const uris: string[] = [];
  let others = 0;
  for (const n of nodes) {
    if (n.tag === 0x86) uris.push(Buffer.from(contentOf(der, n)).toString('latin1')); // [6] IA5String
    else others++;
  }
  return { uris, others };
}

/** basicConstraints (RFC 5280 §4.2.1.9). */
export function decodeBasicConstraints(v: Uint8Array): { cA: boolean; pathLen?: number } {
  const parts = children(v, readRoot(v, Tag.sequence));
  let i = 0;
  let cA = false;
  if (parts[i]?.tag === Tag.boolean) {
    cA = readBoolean(v, parts[i++]);
    if (!cA) throw new DerError('cA FALSE is the DEFAULT and must not be encoded (DER)', parts[0].start);
  }
  const pathLen = parts[i] ? Number(readUnsigned(v, expectTag(parts[i++], Tag.integer))) : undefined;
  if (i !== parts.length) throw new DerError('unexpected basicConstraints field', parts[i].start);
  return pathLen === undefined ? { cA } : { cA, pathLen };
}

/** keyUsage (RFC 5280 §4.2.1.3): the bit numbers that are set. */
export function decodeKeyUsage(v: Uint8Array): Set<number> {
  const c = contentOf(v, readRoot(v, Tag.bitString));
  if (c.length < 1 || c[0] > 7 || (c.length === 1 && c[0] !== 0)) throw new DerError('malformed BIT STRING', 0);
  const out = new Set<number>();
  for (let i = 0; i < (c.length - 1) * 8; i++) if (c[1 + (i >> 3)] & (0x80 >> (i & 7))) out.add(i);
  return out;
}

/** subjectKeyIdentifier (RFC 5280 §4.2.1.2). */
export function decodeSubjectKeyIdentifier(v: Uint8Array): Uint8Array {
  return contentOf(v, readRoot(v, Tag.octetString));
}

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
export function decodeAuthorityKeyIdentifier(v: Uint8Array): { keyIdentifier?: Uint8Array; hasIssuer: boolean; hasSerial: boolean } {
  const parts = children(v, readRoot(v, Tag.sequence));
  const key = parts.find((p) => p.tag === 0x80);
  for (const p of parts) if (p.tag !== 0x80 && p.tag !== ctx(1) && p.tag !== 0x82) throw new DerError('unexpected authorityKeyIdentifier field', p.start);
  return {
    keyIdentifier: key ? contentOf(v, key) : undefined,
    hasIssuer: parts.some((p) => p.tag === ctx(1)),
    hasSerial: parts.some((p) => p.tag === 0x82),
  };
}

/** subjectAltName (RFC 5280 §4.2.1.6). */
export function decodeSubjectAltName(v: Uint8Array): GeneralNameUris {
  const names = children(v, readRoot(v, Tag.sequence));
  if (names.length === 0) throw new DerError('empty GeneralNames', 0);
  return generalNames(v, names);
}

/** One cRLDistributionPoints entry (RFC 5280 §4.2.1.13). */
export interface DecodedDistributionPoint {
  fullName: GeneralNameUris | null;
  limited: boolean;
}

/** cRLDistributionPoints (RFC 5280 §4.2.1.13). */
export function decodeCrlDistributionPoints(v: Uint8Array): DecodedDistributionPoint[] {
  return children(v, readRoot(v, Tag.sequence)).map((dp) => {
    const parts = children(v, expectTag(dp, Tag.sequence));
    const name = parts.find((p) => p.tag === ctx(0));
    let fullName: GeneralNameUris | null = null;
    if (name) {
      const [choice] = children(v, name);
      if (choice?.tag === ctx(0)) fullName = generalNames(v, children(v, choice));
    }
    return { fullName, limited: parts.some((p) => p.tag === 0x81 || p.tag === ctx(2)) };
  });
}

/** authorityInfoAccess (RFC 5280 §4.2.2.1). */
export function decodeAuthorityInfoAccess(v: Uint8Array): { method: string; location: { tag: number; text: string } }[] {
  return children(v, readRoot(v, Tag.sequence)).map((ad) => {
    const [method, location, extra] = children(v, expectTag(ad, Tag.sequence));
    if (!method || !location || extra) throw new DerError('AccessDescription needs accessMethod and accessLocation', ad.start);
    return { method: readOid(v, method), location: { tag: location.tag, text: Buffer.from(contentOf(v, location)).toString('latin1') } };
  });
}
