// The signer process's own look at what it is asked to sign (ARCHITECTURE.md: the signer is a trust
// boundary). Whoever reaches its socket can ask for signatures; what they get is limited to what this
// allows: a certificate that passes the profile lint as the kind it claims to be and names this key as
// its issuer, a CRL of this key's CA, a CSR of this key itself. Anything else is refused unsigned.
// A test key (generated as one, key-file.ts; docs/test-certificates.md) may in addition sign the named
// deviations of a community's test kit, and only certificates of TEST-named CAs and their CRLs.
import {
  bytesEqual, isPkiError, lintTbsCertificate, nameToString, readCsrInfoSpki, readTbsCertListHead, readTbsNames, readTbsSubjectSpki, signatureAlgorithmFromOid, subjectKeyIdentifier,
  type LintKind, type SignatureAlgorithm,
} from '@anchorage/pki';
import { LEAF_PROFILES } from '@anchorage/contracts';
import { SignerError } from '../errors';
import { checkCertificationSigningInput } from './certification-guard';
import type { SignatureMeta } from '../types';

const KINDS: ReadonlySet<string> = new Set<string>(['root', 'issuing', ...LEAF_PROFILES]);

/**
 * The lint problems a test key may sign through, each exactly as the lint words it: the test kit's
 * negative cases a relying party must reject. Nothing else is waived, and only for a test key.
 * (Expired and not-yet-valid leaves, a dead CDP URL, an EC udap-client key and an iss/SAN mismatch lint
 * clean already: the signer's lint reads no clock and fetches nothing.)
 */
export const TEST_KEY_DEVIATIONS: readonly string[] = [
  'crl-distribution-points: cRLDistributionPoints is missing',
  'subject-alt-name: a leaf needs a subjectAltName with at least one URI',
];

/** The word a test key's issuer name must carry, so no certificate it signs passes for a production one. */
export const TEST_NAME_MARK = 'TEST';

/** What the signer knows of the key about to sign, besides its public key. */
export interface SigningKeyFacts {
  /** The key was generated as a test key. */
  testKey?: boolean;
}

const refuse = (what: string) => new SignerError(`refusing to sign: ${what}`);

/** Reads a structure with a pki reader, turning a parse failure into a refusal. */
function read<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isPkiError(err) || err instanceof Error) throw refuse(`the ${what} does not parse: ${err.message}`);
    throw err;
  }
}

/**
 * Throws SignerError unless `tbs` is what `meta` says, for the key whose SubjectPublicKeyInfo is
 * `keySpki`, signed with `alg`:
 * - certificate: lints clean as `meta.profile` (RFC 5280 §4.1 and the UDAP profile sheet), with this key as
 *   its issuer's key (authorityKeyIdentifier, signature algorithm); a root must certify this very key;
 * - crl: a v2 TBSCertList (RFC 5280 §5.1) whose signature algorithm is `alg` and whose authorityKeyIdentifier
 *   names this key, with a CRL number;
 * - csr: a CertificationRequestInfo (RFC 2986 §4.1) of this key;
 * - certification: the JWS signing input of a certification whose x5c[0] certifies this key as a leaf
 *   (certification-guard.ts).
 */
export function checkSigningInput(tbs: Uint8Array, alg: SignatureAlgorithm, meta: SignatureMeta, keySpki: Uint8Array, key: SigningKeyFacts = {}): void {
  if (key.testKey && meta.purpose !== 'certificate' && meta.purpose !== 'crl') throw refuse(`a test key signs certificates and CRLs only, not a ${String(meta.purpose)}`);
  if (meta.purpose === 'certificate') {
    const kind = meta.profile;
    if (!kind || !KINDS.has(kind)) throw refuse(`a certificate needs its profile (root, issuing, ${LEAF_PROFILES.join(', ')}); got ${JSON.stringify(kind ?? null)}`);
    const linted = lintTbsCertificate(tbs, kind as LintKind, { issuerSpkiDer: keySpki });
    const problems = key.testKey ? linted.filter((p) => !TEST_KEY_DEVIATIONS.includes(p)) : linted;
    if (key.testKey) {
      const issuer = read('TBSCertificate', () => nameToString(readTbsNames(tbs).issuerDer));
      if (!issuer.includes(TEST_NAME_MARK)) throw refuse(`a test key signs only as a CA whose name carries ${TEST_NAME_MARK}; the issuer is "${issuer}"`);
    }
    if (problems.length) throw refuse(`the certificate fails the ${kind} profile lint: ${problems.join('; ')}`);
    if (kind === 'root') {
      const spki = read('TBSCertificate', () => readTbsSubjectSpki(tbs));
      if (!bytesEqual(spki, keySpki)) throw refuse('a root certificate must certify the key that signs it');
    }
    return;
  }
  if (meta.purpose === 'crl') {
    const head = read('TBSCertList', () => readTbsCertListHead(tbs));
    if (head.version !== 1) throw refuse('a CRL must be version 2 (RFC 5280 §5.1.2.1)');
    if (signatureAlgorithmFromOid(head.signatureOid) !== alg) throw refuse(`the CRL names signature algorithm ${head.signatureOid}, not ${alg}`);
    if (!head.authorityKeyId || !bytesEqual(head.authorityKeyId, subjectKeyIdentifier(keySpki))) throw refuse('the CRL\'s authorityKeyIdentifier does not name this key');
    if (head.crlNumber === null) throw refuse('a CRL needs a CRL number (RFC 5280 §5.2.3)');
    return;
  }
  if (meta.purpose === 'csr') {
    const spki = read('CertificationRequestInfo', () => readCsrInfoSpki(tbs));
    if (!bytesEqual(spki, keySpki)) throw refuse('a CSR must be for the key that signs it');
    return;
  }
  if (meta.purpose === 'certification') {
    checkCertificationSigningInput(tbs, alg, keySpki);
    return;
  }
  throw refuse(`unknown purpose ${JSON.stringify(meta.purpose)}`);
}
