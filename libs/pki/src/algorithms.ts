// Signature algorithms the CA signs with (RFC 4055 for RSA, RFC 5758 for ECDSA).
import type { KeyType } from '@anchorage/contracts';
import { derNull, derOid, derSequence } from './der';
import { PkiError } from './errors';
import { OID } from './oids';

/** A signature algorithm the platform signs certificates and CRLs with. */
export type SignatureAlgorithm = 'sha256WithRSAEncryption' | 'ecdsaWithSHA256' | 'ecdsaWithSHA384';

/** All signature algorithms, for validation of stored values. */
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'sha256WithRSAEncryption',
  'ecdsaWithSHA256',
  'ecdsaWithSHA384',
];

/** The algorithm a CA with the given key type signs with (UDAP profile: RSA uses sha256WithRSAEncryption). */
export function signatureAlgorithmFor(keyType: KeyType): SignatureAlgorithm {
  switch (keyType) {
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return 'sha256WithRSAEncryption';
    case 'EC-P256':
      return 'ecdsaWithSHA256';
    case 'EC-P384':
      return 'ecdsaWithSHA384';
  }
}

/** Dotted OID of a signature algorithm. */
export function signatureAlgorithmOid(alg: SignatureAlgorithm): string {
  return OID[alg];
}

/** Maps an OID back to one of our signature algorithms, or null for anything else. */
export function signatureAlgorithmFromOid(oid: string): SignatureAlgorithm | null {
  return SIGNATURE_ALGORITHMS.find((a) => OID[a] === oid) ?? null;
}

const ALG_ID_DER: Record<SignatureAlgorithm, Uint8Array> = {
  // RFC 4055 §5: the parameters field for sha*WithRSAEncryption MUST be NULL.
  sha256WithRSAEncryption: derSequence(derOid(OID.sha256WithRSAEncryption), derNull()),
  // RFC 5758 §3.2: the parameters field for ecdsa-with-SHA* MUST be absent.
  ecdsaWithSHA256: derSequence(derOid(OID.ecdsaWithSHA256)),
  ecdsaWithSHA384: derSequence(derOid(OID.ecdsaWithSHA384)),
};

/** AlgorithmIdentifier DER: RSA with explicit NULL parameters, ECDSA with absent parameters. */
export function algorithmIdentifierDer(alg: SignatureAlgorithm): Uint8Array {
  const der = ALG_ID_DER[alg];
  if (!der) throw new PkiError('validation', `unsupported signature algorithm "${String(alg)}"`);
  return der.slice();
}

/** Node crypto digest name for the algorithm ('sha256' | 'sha384'). */
export function nodeHashFor(alg: SignatureAlgorithm): 'sha256' | 'sha384' {
  return alg === 'ecdsaWithSHA384' ? 'sha384' : 'sha256';
}

/** Key family a signature algorithm needs ('RSA' | 'EC'). */
export function keyAlgorithmFor(alg: SignatureAlgorithm): 'RSA' | 'EC' {
  return alg === 'sha256WithRSAEncryption' ? 'RSA' : 'EC';
}
