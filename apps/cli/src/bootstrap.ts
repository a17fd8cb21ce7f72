import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, LocalProblem } from './api-client';

/** SHA-256 of a certificate's DER, lowercase hex without separators (as community.json publishes it). */
export function sha256Fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** The SHA-256 fingerprint of a PEM certificate, or null when `pem` is none. */
export function pemFingerprint(pem: string | null | undefined): string | null {
  if (!pem) return null;
  return sha256Fingerprint(new X509Certificate(pem).raw);
}

/** `AB:CD:...`, as OpenSSL prints it, for people comparing by eye. */
export function colonHex(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** A fingerprint as given: 64 hex digits, with or without colons or spaces, any case; null when it is none. */
export function normalizeFingerprint(given: string): string | null {
  const hex = given.replace(/^sha256:/i, '').replace(/[:\s]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** What bootstrap saved. */
export interface Bootstrapped {
  communityId: string;
  communityName: string;
  communityUri: string;
  rootCaId: string;
  subject: string;
  notAfter: string;
  fingerprint: string;
  rootCertificate: string;
  config: string;
}

/**
 * Fetches the community's root certificate from the public repository (/pki, no token), accepts it
 * only when its SHA-256 fingerprint is `expected` (from the operator, over another channel: the
 * `step ca bootstrap` model), and saves the PEM and config.json in `configDir`. Nothing is written
 * when the fingerprint differs.
 */
export async function bootstrap(
  input: { pkiUrl: string; apiUrl: string; communityId: string; fingerprint: string; configDir: string; force: boolean },
): Promise<Bootstrapped> {
  const expected = normalizeFingerprint(input.fingerprint);
  if (!expected) throw new LocalProblem('usage', '--fingerprint must be the SHA-256 fingerprint of the root certificate: 64 hex digits (colons allowed)');
  const configFile = join(input.configDir, 'config.json');
  if (existsSync(configFile) && !input.force) throw new LocalProblem('usage', `${configFile} exists; pass --force to overwrite it`);
  const pki = new ApiClient(input.pkiUrl, null);
  const doc = JSON.parse((await pki.fetchPublic(`/pki/communities/${encodeURIComponent(input.communityId)}/community.json`)).toString('utf8')) as {
    id: string; name: string; uri: string; anchors: { id: string }[];
  };
  if (!Array.isArray(doc.anchors) || doc.anchors.length === 0) throw new LocalProblem('bad-response', `community ${input.communityId} publishes no root certificate (an offline root whose certificate is not installed yet?)`);
  // the fingerprints community.json states are not trusted: each root is fetched and hashed here
  const seen: string[] = [];
  for (const anchor of doc.anchors) {
    const path = `/pki/ca/${encodeURIComponent(anchor.id)}.cer`;
    const der = await pki.fetchPublic(path);
    const fingerprint = sha256Fingerprint(der);
    seen.push(`${colonHex(fingerprint)} (${input.pkiUrl}${path})`);
    if (fingerprint !== expected) continue;
    const cert = new X509Certificate(der);
    if (!cert.ca || !cert.checkIssued(cert) || !cert.verify(cert.publicKey)) throw new LocalProblem('bad-response', `the certificate at ${input.pkiUrl}${path} has the fingerprint given but is not a self-signed CA certificate`);
    mkdirSync(join(input.configDir, 'certs'), { recursive: true, mode: 0o700 });
    const rootCertificate = join(input.configDir, 'certs', `${doc.id}-root.pem`);
    writeFileSync(rootCertificate, cert.toString());
    const saved: Bootstrapped = {
      communityId: doc.id, communityName: doc.name, communityUri: doc.uri, rootCaId: anchor.id, subject: cert.subject.replace(/\n/g, ', '),
      notAfter: new Date(cert.validTo).toISOString(), fingerprint, rootCertificate, config: configFile,
    };
    writeFileSync(configFile, `${JSON.stringify({
      apiUrl: input.apiUrl, pkiUrl: input.pkiUrl, communityId: doc.id, communityUri: doc.uri, rootCaId: anchor.id, rootCertificate, rootFingerprint: fingerprint,
    }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(configFile, 0o600);
    return saved;
  }
  throw new LocalProblem(
    'fingerprint-mismatch',
    `the root certificate of community ${input.communityId} does not have the fingerprint given (${colonHex(expected)}); it has ${seen.join(', ')}. Nothing was saved: check the fingerprint with the community's operator, and the URL.`,
  );
}
