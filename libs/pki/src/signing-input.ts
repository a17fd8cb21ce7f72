// What the signer process reads of a TBS before it signs it (ARCHITECTURE.md: the signer is a trust
// boundary). Only the fields that tie a TBS to the key about to sign it: enough to refuse a structure
// of the wrong kind, another algorithm, or another issuer, without walking a large CRL's entries.
import { children, contentOf, DerError, readOid, readRoot, readUnsigned, type DerNode } from './der-reader';
import { Tag } from './der';
import { decodeAuthorityKeyIdentifier, parseTbsForLint } from './lint-model';
import { OID } from './oids';

const ctx = (n: number) => 0xa0 | n;

/** The head of a TBSCertList (RFC 5280 §5.1.2): version, signature algorithm, and the extensions naming its issuer. */
export interface TbsCertListHead {
  /** 1 for a v2 CRL. */
  version: number;
  signatureOid: string;
  /** authorityKeyIdentifier's keyIdentifier (RFC 5280 §5.2.1), if present. */
  authorityKeyId: Uint8Array | null;
  /** cRLNumber (RFC 5280 §5.2.3), if present. */
  crlNumber: bigint | null;
}

function expect(node: DerNode | undefined, tag: number, what: string, at: number): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`${what} expected`, node?.start ?? at);
  return node;
}

/** Reads a TBSCertList's head; the revoked certificates are skipped whole. Throws DerError on a malformed structure. */
export function readTbsCertListHead(tbs: Uint8Array): TbsCertListHead {
  const fields = children(tbs, readRoot(tbs, Tag.sequence));
  let i = 0;
  const version = fields[i]?.tag === Tag.integer ? Number(readUnsigned(tbs, fields[i++])) : 0;
  const alg = children(tbs, expect(fields[i++], Tag.sequence, 'signature AlgorithmIdentifier', tbs.length));
  const signatureOid = readOid(tbs, expect(alg[0], Tag.oid, 'signature algorithm OID', tbs.length));
  const extensionsNode = fields.find((f) => f.tag === ctx(0));
  let authorityKeyId: Uint8Array | null = null;
  let crlNumber: bigint | null = null;
  if (extensionsNode) {
    const [list] = children(tbs, extensionsNode);
    for (const e of children(tbs, expect(list, Tag.sequence, 'crlExtensions SEQUENCE', extensionsNode.start))) {
      const parts = children(tbs, expect(e, Tag.sequence, 'Extension', extensionsNode.start));
      const oid = readOid(tbs, expect(parts[0], Tag.oid, 'extnID', e.start));
      const value = contentOf(tbs, expect(parts[parts.length - 1], Tag.octetString, 'extnValue', e.start));
      if (oid === OID.authorityKeyIdentifier) authorityKeyId = decodeAuthorityKeyIdentifier(value).keyIdentifier ?? null;
      if (oid === OID.crlNumber) crlNumber = readUnsigned(value, readRoot(value, Tag.integer));
    }
  }
  return { version, signatureOid, authorityKeyId, crlNumber };
}

/** The subjectPKInfo of a CertificationRequestInfo (RFC 2986 §4.1), as encoded. Throws DerError on a malformed structure. */
export function readCsrInfoSpki(info: Uint8Array): Uint8Array {
  const fields = children(info, readRoot(info, Tag.sequence));
  expect(fields[0], Tag.integer, 'CertificationRequestInfo version', 0);
  const spki = expect(fields[2], Tag.sequence, 'subjectPKInfo', info.length);
  return info.subarray(spki.start, spki.end);
}

/** The subjectPublicKeyInfo of a TBSCertificate (RFC 5280 §4.1.2.7), as encoded. Throws DerError on a malformed structure. */
export function readTbsSubjectSpki(tbs: Uint8Array): Uint8Array {
  return parseTbsForLint(tbs).spkiDer;
}

/** The serialNumber of a TBSCertificate (RFC 5280 §4.1.2.2), as lowercase hex of its content octets. Throws DerError on a malformed structure. */
export function readTbsSerialHex(tbs: Uint8Array): string {
  return Buffer.from(parseTbsForLint(tbs).serialContent).toString('hex');
}

/** The issuer and subject Names of a TBSCertificate (RFC 5280 §4.1.2.4, §4.1.2.6) as DER. Throws DerError on a malformed structure. */
export function readTbsNames(tbs: Uint8Array): { issuerDer: Uint8Array; subjectDer: Uint8Array } {
  const t = parseTbsForLint(tbs);
  return { issuerDer: t.issuerDer, subjectDer: t.subjectDer };
}
