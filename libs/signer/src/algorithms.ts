import type { KeyType } from '@anchorage/contracts';
import { signatureAlgorithmFor } from '@anchorage/pki';
import { SignerError } from './errors';
import type { SignatureAlgorithm } from './types';

// One mapping from key type to signature algorithm for the whole platform lives in libs/pki.
export { signatureAlgorithmFor };

/** Node digest names used by the signature algorithms. */
export type DigestName = 'sha256' | 'sha384';

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
