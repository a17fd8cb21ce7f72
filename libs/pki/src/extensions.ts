// X.509 v3 extension encoders (RFC 5280 §4.2) used by the certificate templates.
import {
  derBoolean,
  derIa5String,
  derImplicitConstructed,
  derImplicitPrimitive,
  derInteger,
  derNamedBits,
  derOctetString,
  derOid,
  derSequence,
} from './der';
import { PkiError } from './errors';
import { OID } from './oids';

/** One certificate or CRL extension: extnValue is the DER of the extension's own ASN.1 value. */
export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (omitted when false, X.690 §11.5), extnValue }. */
export function encodeExtension(ext: Extension): Uint8Array {
  const parts = [derOid(ext.oid)];
  if (ext.critical) parts.push(derBoolean(true));
  parts.push(derOctetString(ext.value));
  return derSequence(...parts);
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; rejects duplicates (RFC 5280 §4.2). */
export function encodeExtensions(exts: readonly Extension[]): Uint8Array {
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid)) throw new PkiError('validation', `extension ${e.oid} appears twice (RFC 5280 §4.2)`);
    seen.add(e.oid);
  }
  if (exts.length === 0) throw new PkiError('validation', 'Extensions must not be empty (RFC 5280 §4.1)');
  return derSequence(...exts.map(encodeExtension));
}

/** KeyUsage named bits (RFC 5280 §4.2.1.3). */
export const KeyUsageBit = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

/** basicConstraints (RFC 5280 §4.2.1.9); critical as the UDAP profile requires for every certificate. */
export function basicConstraintsExtension(ca: boolean, pathLen?: number): Extension {
  const parts: Uint8Array[] = [];
  if (ca) parts.push(derBoolean(true)); // cA DEFAULT FALSE: omitted for end entities (DER)
  if (pathLen !== undefined) {
    if (!ca) throw new PkiError('validation', 'pathLenConstraint requires cA TRUE (RFC 5280 §4.2.1.9)');
    parts.push(derInteger(pathLen));
  }
  return { oid: OID.basicConstraints, critical: true, value: derSequence(...parts) };
}

/** keyUsage (RFC 5280 §4.2.1.3), critical. */
export function keyUsageExtension(bits: readonly number[]): Extension {
  if (bits.length === 0) throw new PkiError('validation', 'keyUsage needs at least one bit (RFC 5280 §4.2.1.3)');
  return { oid: OID.keyUsage, critical: true, value: derNamedBits(bits) };
}

/** subjectKeyIdentifier (RFC 5280 §4.2.1.2), non-critical. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): Extension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: derOctetString(keyId) };
}

/** authorityKeyIdentifier with keyIdentifier only (RFC 5280 §4.2.1.1), non-critical. */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): Extension {
  return { oid: OID.authorityKeyIdentifier, critical: false, value: derSequence(derImplicitPrimitive(0, keyId)) };
}

/** GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String (RFC 5280 §4.2.1.6). */
export function uriGeneralName(uri: string): Uint8Array {
  const ia5 = derIa5String(uri);
  return derImplicitPrimitive(6, ia5.subarray(ia5.length - uri.length));
}

/** subjectAltName of URIs, non-critical (the subject is never empty; RFC 5280 §4.2.1.6). */
export function subjectAltNameUrisExtension(uris: readonly string[]): Extension {
  if (uris.length === 0) throw new PkiError('san-invalid', 'subjectAltName needs at least one URI');
  return { oid: OID.subjectAltName, critical: false, value: derSequence(...uris.map(uriGeneralName)) };
}

/** cRLDistributionPoints with one DistributionPoint holding one fullName URI (RFC 5280 §4.2.1.13). */
export function crlDistributionPointsExtension(crlUrl: string): Extension {
  // DistributionPoint { distributionPoint [0] DistributionPointName { fullName [0] GeneralNames } }
  const dp = derSequence(derImplicitConstructed(0, derImplicitConstructed(0, uriGeneralName(crlUrl))));
  return { oid: OID.crlDistributionPoints, critical: false, value: derSequence(dp) };
}

/** authorityInfoAccess with exactly one caIssuers URI and no OCSP (RFC 5280 §4.2.2.1, UDAP profile). */
export function authorityInfoAccessExtension(caIssuersUrl: string): Extension {
  const ad = derSequence(derOid(OID.caIssuers), uriGeneralName(caIssuersUrl));
  return { oid: OID.authorityInfoAccess, critical: false, value: derSequence(ad) };
}

/** extendedKeyUsage, non-critical (UDAP profile: optional and non-critical). */
export function extendedKeyUsageExtension(oids: readonly string[]): Extension {
  if (oids.length === 0) throw new PkiError('validation', 'extendedKeyUsage needs at least one purpose');
  return { oid: OID.extKeyUsage, critical: false, value: derSequence(...oids.map(derOid)) };
}

/** certificatePolicies of bare policy OIDs (no qualifiers), non-critical (RFC 5280 §4.2.1.4). */
export function certificatePoliciesExtension(oids: readonly string[]): Extension {
  if (oids.length === 0) throw new PkiError('validation', 'certificatePolicies needs at least one policy');
  return { oid: OID.certificatePolicies, critical: false, value: derSequence(...oids.map((o) => derSequence(derOid(o)))) };
}

/** Checks a CDP or caIssuers location: an absolute plain-http URL (UDAP profile: "http URI", no redirects). */
export function checkHttpUrl(url: string, what: string): string {
  const ok =
    typeof url === 'string' &&
    url.length <= 2048 &&
    /^http:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*)?(\?[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/.test(url);
  if (!ok) throw new PkiError('validation', `${what} "${url}" must be an absolute http:// URL (RFC 5280 §4.2.1.13)`);
  return url;
}
