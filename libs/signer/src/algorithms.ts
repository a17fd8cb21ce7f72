import type { KeyType } from '@anchorage/contracts';
import { SignerError } from './errors';
import type { SignatureAlgorithm } from './types';

/** Node digest names used by the signature algorithms. */
export type DigestName = 'sha256' | 'sha384';

/**
 * The signature algorithm a CA key of `keyType` signs with. ECDSA pairs each curve with the hash of
 * matching strength (RFC 5480 §4: P-256 with SHA-256, P-384 with SHA-384).
 */
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

/** The digest inside a signature algorithm. */
export function digestOf(alg: SignatureAlgorithm): DigestName {
  switch (alg) {
    case 'sha256WithRSAEncryption':
    case 'ecdsaWithSHA256':
      return 'sha256';
    case 'ecdsaWithSHA384':
      return 'sha384';
    default:
      throw new SignerError(`unsupported signature algorithm '${String(alg)}'`);
  }
}

/** Refuses an algorithm that does not belong to the key: a mismatch is a caller bug, never a fallback. */
export function assertAlgorithmFits(keyType: KeyType, alg: SignatureAlgorithm, keyRef: string): void {
  digestOf(alg);
  const expected = signatureAlgorithmFor(keyType);
  if (alg !== expected) {
    throw new SignerError(`key ${keyRef} is ${keyType}; it signs with ${expected}, not ${String(alg)}`);
  }
}
