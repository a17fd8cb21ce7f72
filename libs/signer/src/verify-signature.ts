import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { digestOf } from './algorithms';
import { SignerError } from './errors';
import type { SignatureAlgorithm } from './types';

const verifyAsync = promisify(verify);
/** Above this size the hashing dominates (a large CRL): sign and verify on the thread pool, off the event loop. */
export const SYNC_CRYPTO_MAX_BYTES = 64 * 1024;

/** Parses SPKI DER into a Node public key. */
export function publicKeyFromSpki(spki: Uint8Array, keyRef: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new SignerError(`public key of ${keyRef} is not a valid SubjectPublicKeyInfo`);
  }
}

/**
 * True when `signature` (X.509 signatureValue bytes; ECDSA in DER) verifies over `data`. Small inputs
 * (certificates) verify on the calling thread: ~30 µs for RSA-2048, less than the hand-off to the
 * thread pool and back; large ones (CRLs) on the thread pool, so hashing megabytes never blocks.
 */
export async function verifySignature(
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
  alg: SignatureAlgorithm,
): Promise<boolean> {
  try {
    const key = { key: publicKey, dsaEncoding: 'der' as const };
    if (data.length <= SYNC_CRYPTO_MAX_BYTES) return verify(digestOf(alg), data, key, signature);
    return await verifyAsync(digestOf(alg), data, key, signature);
  } catch {
    return false;
  }
}
