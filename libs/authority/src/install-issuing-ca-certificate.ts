import { randomUUID } from 'node:crypto';
import { isRsaKeyType } from '@anchorage/contracts';
import type { CaRecord } from '@anchorage/db';
import {
  bytesEqual, certificateDerFrom, checkIsCaCertificate, describeCertificate, isPkiError, lintTbsCertificate, nameToString,
  readCertificateParts, verifyCaCertificateMatchesKey, verifySignedObject, type CertificateDescription, type CertificateParts,
} from '@anchorage/pki';
import { enforceCaKeyPolicy } from './ca-key-policy';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { externalKeyRef } from './external-ca';
import { generateCrl } from './generate-crl';

/** The certificate an external (offline) root signed for a CA awaiting one, and that root. */
export interface InstallIssuingCaCertificateInput {
  caId: string;
  /** The issuing CA's certificate, PEM or DER. */
  certificate: string | Uint8Array;
  /** The external root's self-signed certificate, PEM or DER. */
  rootCertificate: string | Uint8Array;
}

/** The activated issuing CA, the stored external root, and profile deviations accepted with a warning. */
export interface InstalledIssuingCa {
  ca: CaRecord;
  root: CaRecord;
  warnings: string[];
}

/** Largest accepted upload per certificate; CA certificates are a few KiB. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

/**
 * Lint rules (UDAP profile "Issuing CA") whose failure makes relying parties reject every leaf under
 * the CA, so the certificate is refused: OpenSSL -x509_strict needs SKI and a matching AKI, .NET and
 * Inferno fetch the CRL from the CDP, node-forge finds the root only through AIA and rejects unknown
 * critical extensions. Other lint findings (pathLen, extra keyUsage bits, serial size, signature
 * algorithm, validity nesting) are accepted and reported as warnings: the root's operator decides them.
 */
const REFUSING_RULES = new Set([
  'version', 'names', 'extensions', 'critical', 'subject-key-identifier', 'authority-key-identifier',
  'crl-distribution-points', 'authority-info-access', 'public-key',
]);

function bad(message: string, details: Record<string, unknown> = {}): never {
  throw new DomainError('bad-certificate', message, details);
}

function parse(input: string | Uint8Array, what: string): { der: Uint8Array; parts: CertificateParts; d: CertificateDescription } {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input?.length;
  if (!size) bad(`${what} is missing`);
  if (size > MAX_CERTIFICATE_BYTES) bad(`${what} is ${size} bytes; the limit is ${MAX_CERTIFICATE_BYTES}`);
  try {
    const der = certificateDerFrom(input, what);
    return { der, parts: readCertificateParts(der), d: describeCertificate(der) };
  } catch (err) {
    if (isPkiError(err)) bad(`${what}: ${err.message}`);
    throw err;
  }
}

function pkiCheck(what: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (isPkiError(err)) bad(`${what}: ${err.message}`);
    throw err;
  }
}

/** The external root: a self-signed CA certificate that may sign certificates, valid now. */
function checkRoot(root: ReturnType<typeof parse>, now: Date, warnings: string[]): void {
  const what = 'root certificate';
  if (!bytesEqual(root.parts.issuerDer, root.parts.subjectDer)) {
    bad(`${what} is not self-issued (issuer "${root.d.issuer}", subject "${root.d.subject}"): upload the top of the chain, the offline root itself`);
  }
  if (!verifySignedObject(root.der, root.parts.spkiDer)) bad(`${what}'s self-signature does not verify with its own public key`);
  pkiCheck(what, () => checkIsCaCertificate(root.der));
  // RFC 5280 §4.2.1.3: only a key with keyCertSign may sign certificates.
  if (!root.d.keyUsage?.includes('keyCertSign')) bad(`${what} has no keyUsage keyCertSign, so it may not sign certificates (RFC 5280 §4.2.1.3)`);
  if (!root.d.keyUsage.includes('cRLSign')) warnings.push(`${what} has no keyUsage cRLSign: its CRL will not verify at relying parties that check the whole chain`);
  if (!root.d.ski) warnings.push(`${what} has no subjectKeyIdentifier (RFC 5280 §4.2.1.2)`);
  if (!root.d.key.keyType) bad(`${what}'s key (${root.d.key.algorithm} ${root.d.key.bits ?? root.d.key.curve ?? ''}) is not one of RSA-2048/3072/4096, EC P-256/P-384`);
  if (root.parts.notAfter.getTime() <= now.getTime()) bad(`${what} expired at ${root.parts.notAfter.toISOString()}`);
  if (root.parts.notBefore.getTime() > now.getTime()) bad(`${what} is not valid before ${root.parts.notBefore.toISOString()}`);
}

/** The issuing CA's certificate: our key, CA:TRUE, signed by the root, valid now, usable by relying parties. */
function checkIssuing(ca: CaRecord, cert: ReturnType<typeof parse>, root: ReturnType<typeof parse>, now: Date, warnings: string[]): void {
  const what = 'certificate';
  pkiCheck(what, () => verifyCaCertificateMatchesKey(cert.der, ca.spkiDer));
  pkiCheck(what, () => checkIsCaCertificate(cert.der));
  if (!cert.d.keyUsage?.includes('keyCertSign') || !cert.d.keyUsage.includes('cRLSign')) {
    bad(`${what} must have keyUsage keyCertSign and cRLSign: the issuing CA signs certificates and CRLs (found ${cert.d.keyUsage?.join(', ') || 'no keyUsage'})`);
  }
  // The root may rewrite the requested Name (`openssl ca` orders it by its policy); the certificate's
  // subject is the CA's name from now on, byte for byte the issuer of its leaves and CRLs (RFC 5280 §4.1.2.4).
  if (!bytesEqual(cert.parts.subjectDer, ca.subjectDer)) {
    warnings.push(`the root changed the subject from "${ca.subject}" to "${cert.d.subject}"; leaves and CRLs name the CA as in its certificate`);
  }
  if (!bytesEqual(cert.parts.issuerDer, root.parts.subjectDer)) bad(`${what} issuer "${cert.d.issuer}" is not the root's subject "${root.d.subject}"`);
  if (!verifySignedObject(cert.der, root.parts.spkiDer)) {
    bad(`${what}'s signature (algorithm ${cert.parts.signatureAlgorithmOid}) does not verify with the root certificate's key: it was not signed by this root`);
  }
  if (cert.parts.notAfter.getTime() <= now.getTime()) bad(`${what} expired at ${cert.parts.notAfter.toISOString()}`);
  if (cert.parts.notBefore.getTime() > now.getTime()) bad(`${what} is not valid before ${cert.parts.notBefore.toISOString()}; install it once it is`);
  // RFC 5280 §4.2.1.1: chain builders match the AKI against the issuer's SKI.
  if (root.d.ski && cert.d.aki && cert.d.aki !== root.d.ski) bad(`${what} authorityKeyIdentifier ${cert.d.aki} is not the root's subjectKeyIdentifier ${root.d.ski}`);
  const problems = lintTbsCertificate(cert.parts.tbsDer, 'issuing', { issuerNotBefore: root.parts.notBefore, issuerNotAfter: root.parts.notAfter });
  const refusing = problems.filter((p) => REFUSING_RULES.has(p.slice(0, p.indexOf(':'))));
  if (refusing.length) bad(`${what} does not meet the UDAP issuing-CA profile relying parties depend on: ${refusing.join('; ')}`, { problems: refusing });
  warnings.push(...problems.filter((p) => !refusing.includes(p)));
}

/**
 * Installs the certificate an external (offline) root signed for an issuing CA awaiting one. Every
 * check runs before anything is written, and a refusal changes nothing: the CA exists and awaits a
 * certificate; the root is a self-signed CA allowed to sign certificates; the certificate carries
 * the key this platform holds, is CA:TRUE, names the root as issuer and verifies with its key, is
 * valid now, and has what relying parties need (SKI/AKI, CDP, AIA: refused without them); a subject
 * the root rewrote becomes the CA's name, with a warning; an EC root is refused ('key-policy') where
 * the community's policy sets requireRsaChain, and accepted with a warning elsewhere. Then, in
 * one transaction, the root is stored as a CA without a key (key_ref `external:<sha256>`) and the
 * issuing CA is activated under it; then its first CRL is published with the trust bundle
 * (external root, then issuing CA).
 */
export async function installIssuingCaCertificate(deps: AuthorityDeps, input: InstallIssuingCaCertificateInput, actor: Actor): Promise<InstalledIssuingCa> {
  const ca = await deps.db.cas.find(input.caId);
  if (!ca) throw notFound('CA', input.caId);
  const awaiting = (c: CaRecord) => {
    if (c.status !== 'awaiting-certificate') throw new DomainError('conflict', `CA ${c.id} is ${c.status}, not awaiting a certificate; nothing was changed`, { caId: c.id, status: c.status });
  };
  awaiting(ca);
  const now = deps.clock.now();
  const warnings: string[] = [];
  const root = parse(input.rootCertificate, 'root certificate');
  const cert = parse(input.certificate, 'certificate');
  checkRoot(root, now, warnings);
  checkIssuing(ca, cert, root, now, warnings);
  const community = await deps.db.communities.find(ca.communityId);
  if (!community) throw notFound('community', ca.communityId);
  // checkRoot refused a root key of any other type. The root's key type is new information here
  // (the issuing CA's was checked and warned about at creation): its key signs the issuing CA's
  // certificate, so an EC root puts an ECDSA signature in every chain.
  const rootKeyType = root.d.key.keyType!;
  enforceCaKeyPolicy(community, [{ what: 'root certificate', field: 'rootCertificatePem', keyType: rootKeyType }, { what: 'issuing CA', field: 'caId', keyType: ca.keyType }]);
  if (!isRsaKeyType(rootKeyType)) {
    warnings.push(`root certificate key is ${rootKeyType}: the issuing CA's certificate carries an ECDSA signature, which relying parties that verify only RSA (node-forge) cannot verify; they will reject every chain of this community`);
  }

  const rootId = randomUUID();
  const { installed, rootCa } = await deps.db.transaction(async (tx) => {
    const current = await tx.cas.lock(ca.id);
    if (!current) throw notFound('CA', ca.id);
    awaiting(current); // a concurrent install got here first
    const rootCa = await tx.cas.create({
      id: rootId, communityId: ca.communityId, role: 'root', status: 'active', parentId: null, subjectDer: root.parts.subjectDer,
      subject: nameToString(root.parts.subjectDer), keyType: root.d.key.keyType!, keyRef: externalKeyRef(root.der), spkiDer: root.parts.spkiDer,
      certificateDer: root.der, csrDer: null, notBefore: root.parts.notBefore, notAfter: root.parts.notAfter,
    });
    const renamed = bytesEqual(cert.parts.subjectDer, ca.subjectDer) ? undefined : { der: cert.parts.subjectDer, text: nameToString(cert.parts.subjectDer) };
    const installed = await tx.cas.activate(ca.id, cert.der, cert.parts.notBefore, cert.parts.notAfter, rootId, renamed);
    await tx.audit.append({
      at: now, actor: actor.id, action: 'ca.certificate-installed', subjectType: 'ca', subjectId: ca.id,
      data: {
        communityId: ca.communityId, rootCaId: rootId, rootSha256: root.d.sha256, rootSubject: root.d.subject,
        certificateSha256: cert.d.sha256, serial: cert.d.serialHex, notBefore: cert.parts.notBefore.toISOString(),
        notAfter: cert.parts.notAfter.toISOString(), warnings,
      },
    });
    return { installed, rootCa };
  });

  try {
    await generateCrl(deps, ca.id, actor);
  } catch (err) {
    throw new DomainError(
      'publication-failed',
      `the certificate of CA ${ca.id} is installed and the CA is active, but its first CRL could not be published yet (${(err as Error).message}); the CRL refresh job retries`,
      { caId: ca.id },
    );
  }
  await deps.repository.refreshCa(rootCa.id);
  await deps.repository.refreshCa(ca.id);
  return { ca: installed, root: rootCa, warnings };
}

