// One parsed certificate as the verifier uses it: raw name and key bytes (libs/pki's strict reader)
// plus the decoded extensions (SAN URIs, CDP, SKI/AKI, basicConstraints, keyUsage).
import { describeCertificate, readCertificateParts, type CertificateDescription, type CertificateParts } from '@anchorage/pki';

/** A certificate with its raw parts and its description. */
export interface ParsedCertificate {
  der: Uint8Array;
  parts: CertificateParts;
  info: CertificateDescription;
}

/**
 * Certificates parsed lately, by their DER: a relying party (the conformance monitor) verifies JWTs
 * against the same anchors, intermediates and leaves over and over, and decoding the extensions is
 * most of a verification's CPU. Bounded; a parsed certificate is never modified (frozen).
 */
const parsed = new Map<string, ParsedCertificate>();
const PARSED_MAX = 512;

/** Parses DER; throws (PkiError 'validation') when it is not an X.509 certificate. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const held = parsed.get(key);
  if (held) return held;
  const copy = Uint8Array.from(der);
  const cert: ParsedCertificate = Object.freeze({ der: copy, parts: readCertificateParts(copy), info: describeCertificate(copy) });
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, cert);
  return cert;
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
