// One parsed certificate as the verifier uses it: raw name and key bytes (libs/pki's strict reader)
// plus the decoded extensions (SAN URIs, CDP, SKI/AKI, basicConstraints, keyUsage).
import { describeCertificate, readCertificateParts, type CertificateDescription, type CertificateParts } from '@anchorage/pki';

/** A certificate with its raw parts and its description. */
export interface ParsedCertificate {
  der: Uint8Array;
  parts: CertificateParts;
  info: CertificateDescription;
}

/** Parses DER; throws (PkiError 'validation') when it is not an X.509 certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const copy = Uint8Array.from(der);
  return { der: copy, parts: readCertificateParts(copy), info: describeCertificate(copy) };
}

/** Parses DER, or returns null when it is not an X.509 certificate. */
export function tryParseCertificate(der: Uint8Array): ParsedCertificate | null {
  try {
    return parseCertificate(der);
  } catch {
    return null;
  }
}

/** The SAN uniformResourceIdentifier entries of a DER certificate, exactly as encoded (no normalisation). */
export function sanUris(der: Uint8Array): string[] {
  return describeCertificate(der).sanUris;
}
