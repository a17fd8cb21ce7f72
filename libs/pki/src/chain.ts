// Certificate inspection and offline-root upload checks (matching key, CA:TRUE, chains to the root).
import { createHash, createPublicKey } from 'node:crypto';
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from '@peculiar/x509';
import { bytesEqual, toArrayBuffer, toHex } from './bytes';
import { readCertificateParts } from './certificate-reader';
import { PkiError } from './errors';
import { describePublicKey, type PublicKeyDescription } from './keys';
import { serialToHex } from './serial';
import { verifySignedObject } from './signature';

/** Key usage bit names (RFC 5280 §4.2.1.3). */
export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

const KEY_USAGE_FLAGS: readonly [KeyUsageName, number][] = [
  ['digitalSignature', KeyUsageFlags.digitalSignature], ['nonRepudiation', KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', KeyUsageFlags.keyEncipherment], ['dataEncipherment', KeyUsageFlags.dataEncipherment],
  ['keyAgreement', KeyUsageFlags.keyAgreement], ['keyCertSign', KeyUsageFlags.keyCertSign], ['cRLSign', KeyUsageFlags.cRLSign],
  ['encipherOnly', KeyUsageFlags.encipherOnly], ['decipherOnly', KeyUsageFlags.decipherOnly],
];

/** What the API and the console show about a certificate. */
export interface CertificateDescription {
  subject: string;
  issuer: string;
  /** Canonical serial hex (lowercase, no sign pad). */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  sanUris: string[];
  /** Subject key identifier, lowercase hex, or null. */
  ski: string | null;
  /** Authority key identifier (keyIdentifier), lowercase hex, or null. */
  aki: string | null;
  isCa: boolean;
  pathLength: number | null;
  /** Key usage bits set, or null when the certificate has no keyUsage extension. */
  keyUsage: KeyUsageName[] | null;
  crlUrls: string[];
  caIssuersUrls: string[];
  key: PublicKeyDescription;
  spkiDer: Uint8Array;
  /** Lowercase hex SHA-256 of the DER (the certificate fingerprint). */
  sha256: string;
}

function parse(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(toArrayBuffer(der));
  } catch (e) {
    throw new PkiError('validation', `not a DER X.509 certificate: ${(e as Error).message}`);
  }
}

/** Describes a certificate (parsed with @peculiar/x509; serial and SPKI from the raw DER). */
export function describeCertificate(der: Uint8Array): CertificateDescription {
  const parts = readCertificateParts(der);
  const cert = parse(der);
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const ski = cert.getExtension(SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(AuthorityKeyIdentifierExtension);
  const bc = cert.getExtension(BasicConstraintsExtension);
  const cdp = cert.getExtension(CRLDistributionPointsExtension);
  const aia = cert.getExtension(AuthorityInfoAccessExtension);
  const ku = cert.getExtension(KeyUsagesExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialHex: serialToHex(parts.serial),
    notBefore: parts.notBefore,
    notAfter: parts.notAfter,
    sanUris: san ? san.names.items.filter((n) => n.type === 'url').map((n) => n.value) : [],
    ski: ski ? ski.keyId.toLowerCase() : null,
    aki: aki?.keyId ? aki.keyId.toLowerCase() : null,
    isCa: bc?.ca ?? false,
    pathLength: bc?.pathLength ?? null,
    keyUsage: ku ? KEY_USAGE_FLAGS.filter(([, flag]) => (ku.usages & flag) !== 0).map(([name]) => name) : null,
    crlUrls: (cdp?.distributionPoints ?? []).flatMap((dp) =>
      (dp.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier).filter((u): u is string => !!u),
    ),
    caIssuersUrls: (aia?.caIssuers ?? []).filter((n) => n.type === 'url').map((n) => n.value),
    key: describePublicKey(parts.spkiDer),
    spkiDer: parts.spkiDer,
    sha256: toHex(createHash('sha256').update(der).digest()),
  };
}

function normalisedSpki(spkiDer: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' }));
  } catch (e) {
    throw new PkiError('validation', `unparseable public key: ${(e as Error).message}`);
  }
}

/**
 * Throws PkiError 'validation' unless the certificate's public key is the one in `spkiDer` (e.g. the
 * key the platform generated for an offline-signed CA). Keys are compared after a Node round trip, so
 * equivalent encodings of one key match.
 */
export function verifyCaCertificateMatchesKey(certDer: Uint8Array, spkiDer: Uint8Array): void {
  const { spkiDer: certSpki } = readCertificateParts(certDer);
  if (!bytesEqual(normalisedSpki(certSpki), normalisedSpki(spkiDer))) {
    throw new PkiError('validation', 'the certificate does not carry the CA key this platform holds');
  }
}

/** Throws PkiError 'validation' unless the certificate is a CA: basicConstraints cA TRUE, critical (RFC 5280 §4.2.1.9). */
export function checkIsCaCertificate(der: Uint8Array): void {
  const bc = parse(der).getExtension(BasicConstraintsExtension);
  if (!bc || !bc.ca) throw new PkiError('validation', 'the certificate is not a CA certificate (basicConstraints CA:TRUE missing)');
  if (!bc.critical) throw new PkiError('validation', 'basicConstraints of a CA certificate must be critical (RFC 5280 §4.2.1.9)');
}

/**
 * True when `childDer` names `issuerDer`'s subject as its issuer (byte-identical Name) and its signature
 * verifies with the issuer's public key. Async so callers need not change if verification moves to WebCrypto.
 */
export async function verifySignedBy(childDer: Uint8Array, issuerDer: Uint8Array): Promise<boolean> {
  const child = readCertificateParts(childDer);
  const issuer = readCertificateParts(issuerDer);
  if (!bytesEqual(child.issuerDer, issuer.subjectDer)) return false;
  return verifySignedObject(childDer, issuer.spkiDer);
}
