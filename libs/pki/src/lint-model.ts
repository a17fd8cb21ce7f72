// Independent parse of a TBSCertificate for lint, via PKI.js (not our own DER reader), so the lint
// checks what a second implementation sees in the bytes the templates wrote.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { asBytes } from './bytes';

/** One extension as PKI.js decoded it. */
export interface LintExtension {
  oid: string;
  critical: boolean;
  /** The extnValue content (the extension's own DER). */
  value: Uint8Array;
  /** PKI.js's decoded value (BasicConstraints, AltName, ...), undefined when it could not decode it. */
  parsed: unknown;
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

/** Parses TBSCertificate DER with PKI.js; throws with PKI.js's message when it does not parse. */
export function parseTbsForLint(tbsDer: Uint8Array): LintTbs {
  // PKI.js parses whole certificates: wrap the TBS with its own AlgorithmIdentifier and an empty signature.
  const tbsAsn = asn1js.fromBER(asBytesCopy(tbsDer));
  if (tbsAsn.offset === -1) throw new Error(tbsAsn.result.error || 'not BER');
  if (tbsAsn.offset !== tbsDer.length) throw new Error('trailing bytes after the TBSCertificate');
  const fields = (tbsAsn.result as asn1js.Sequence).valueBlock.value;
  const alg = fields.find((f, i) => i <= 2 && f instanceof asn1js.Sequence);
  if (!alg) throw new Error('no signature AlgorithmIdentifier');
  const wrapper = new asn1js.Sequence({ value: [tbsAsn.result, alg, new asn1js.BitString({ valueHex: new ArrayBuffer(1) })] });
  const cert = pkijs.Certificate.fromBER(wrapper.toBER(false));
  return {
    version: cert.version,
    serialContent: asBytes(cert.serialNumber.valueBlock.valueHexView).slice(),
    signatureOid: cert.signature.algorithmId,
    issuerDer: asBytes(cert.issuer.valueBeforeDecode).slice(),
    issuerRdnCount: cert.issuer.typesAndValues.length,
    subjectDer: asBytes(cert.subject.valueBeforeDecode).slice(),
    subjectRdnCount: cert.subject.typesAndValues.length,
    notBefore: { date: cert.notBefore.value, utcTime: cert.notBefore.type === 0 },
    notAfter: { date: cert.notAfter.value, utcTime: cert.notAfter.type === 0 },
    spkiDer: new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false)),
    extensions: (cert.extensions ?? []).map((e) => ({
      oid: e.extnID,
      critical: e.critical,
      value: asBytes(e.extnValue.valueBlock.valueHexView).slice(),
      parsed: e.parsedValue,
    })),
  };
}

function asBytesCopy(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

/** Helpers to read PKI.js GeneralName values. */
export function generalNameUris(names: unknown): { uris: string[]; others: number } {
  const list = Array.isArray(names) ? (names as pkijs.GeneralName[]) : [];
  const uris: string[] = [];
  let others = 0;
  for (const n of list) {
    if (n.type === 6 && typeof n.value === 'string') uris.push(n.value);
    else others++;
  }
  return { uris, others };
}
