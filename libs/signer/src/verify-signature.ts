import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { digestOf } from './algorithms';
import { SignerError } from './errors';
import type { SignatureAlgorithm } from './types';

const verifyAsync = promisify(verify);

/** Parses SPKI DER into a Node public key. */
export function publicKeyFromSpki(spki: Uint8Array, keyRef: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new SignerError(`public key of ${keyRef} is not a valid SubjectPublicKeyInfo`);
  }
}

/** True when `signature` (X.509 signatureValue bytes; ECDSA in DER) verifies over `data`. */
export async function verifySignature(
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
  alg: SignatureAlgorithm,
): Promise<boolean> {
  try {
    return await verifyAsync(digestOf(alg), data, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
