// Certificates and certification requests decoded in the browser with pkijs, for the detail pages:
// subject and issuer names, SHA-256 and SHA-1 fingerprints (as OpenSSL prints them), and a CSR's
// subject, SAN URIs, key and signature check. Display only: the API decides what it certifies.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fromBase64, fromPem, toHex } from './bytes';
import { cryptoEngine } from './engine';

/** Short names of the attribute types a DN usually carries (RFC 4514 §3, plus emailAddress). */
const DN_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.25': 'DC', '1.2.840.113549.1.9.1': 'emailAddress',
};
const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption', '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption', '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption', '1.2.840.113549.1.1.10': 'RSASSA-PSS', '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};
const CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521' };
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';

/** A distinguished name as text, in the order it is encoded ("C=US, O=Example, CN=Example CA"). */
export function dnText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map((tv) => `${DN_NAMES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`).join(', ') || '(empty)';
}

/** Upper-case hex pairs joined by colons, as `openssl x509 -fingerprint` prints them. */
export const colonHex = (bytes: ArrayBuffer): string => toHex(bytes).toUpperCase().replace(/(..)(?!$)/g, '$1:');

/** A certificate as the detail page shows it. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  sha256: string;
  sha1: string;
  selfSigned: boolean;
  serial: string;
  notAfter: Date;
}

/** Decodes one DER certificate (base64, as in x5c). */
export async function describeCertificate(derBase64: string): Promise<CertificateSummary> {
  const der = fromBase64(derBase64);
  const cert = pkijs.Certificate.fromBER(der);
  const [sha256, sha1] = await Promise.all([window.crypto.subtle.digest('SHA-256', der), window.crypto.subtle.digest('SHA-1', der)]);
  return {
    subject: dnText(cert.subject), issuer: dnText(cert.issuer), sha256: colonHex(sha256), sha1: colonHex(sha1),
    selfSigned: cert.subject.isEqual(cert.issuer), serial: toHex(cert.serialNumber.valueBlock.valueHexView), notAfter: cert.notAfter.value,
  };
}

/** What a public key is: "RSA 2048 bits", "EC P-256". */
function keyDescription(info: pkijs.PublicKeyInfo): string {
  const alg = info.algorithm.algorithmId;
  if (alg === OID_RSA) {
    const rsa = pkijs.RSAPublicKey.fromBER(info.subjectPublicKey.valueBlock.valueHexView.slice().buffer);
    let modulus = rsa.modulus.valueBlock.valueHexView;
    while (modulus.length > 0 && modulus[0] === 0) modulus = modulus.subarray(1);
    return `RSA ${modulus.length * 8} bits`;
  }
  if (alg === OID_EC) {
    const curve = info.algorithm.algorithmParams instanceof asn1js.ObjectIdentifier ? info.algorithm.algorithmParams.valueBlock.toString() : '';
    return `EC ${CURVES[curve] ?? curve ?? 'unknown curve'}`;
  }
  return `unknown algorithm ${alg}`;
}

/** A certification request as the request page shows it. */
export interface CsrSummary {
  subject: string;
  sanUris: string[];
  /** SAN entries of other types, as text ("DNS:example.org"). */
  otherSans: string[];
  key: string;
  signatureAlgorithm: string;
  /** The request's self-signature verifies with its own public key (proof of possession). */
  signatureValid: boolean;
}

/** Decodes and checks a PEM certification request (RFC 2986). */
export async function describeCsr(pem: string): Promise<CsrSummary> {
  const der = fromPem(pem, 'CERTIFICATE REQUEST') ?? fromPem(pem, 'NEW CERTIFICATE REQUEST');
  if (!der) throw new Error('The CSR is not PEM "CERTIFICATE REQUEST".');
  const csr = pkijs.CertificationRequest.fromBER(der);
  const sanUris: string[] = [];
  const otherSans: string[] = [];
  for (const attr of csr.attributes ?? []) {
    if (attr.type !== OID_EXTENSION_REQUEST) continue;
    const extensions = new pkijs.Extensions({ schema: attr.values[0] });
    for (const ext of extensions.extensions) {
      if (ext.extnID !== OID_SUBJECT_ALT_NAME) continue;
      const names = ext.parsedValue instanceof pkijs.AltName ? ext.parsedValue.altNames : [];
      for (const n of names) {
        if (n.type === 6) sanUris.push(String(n.value));
        else if (n.type === 2) otherSans.push(`DNS:${String(n.value)}`);
        else otherSans.push(`type ${n.type}`);
      }
    }
  }
  let signatureValid = false;
  try {
    signatureValid = await csr.verify(cryptoEngine());
  } catch {
    signatureValid = false;
  }
  const sigOid = csr.signatureAlgorithm.algorithmId;
  return { subject: dnText(csr.subject), sanUris, otherSans, key: keyDescription(csr.subjectPublicKeyInfo), signatureAlgorithm: SIGNATURE_NAMES[sigOid] ?? sigOid, signatureValid };
}
