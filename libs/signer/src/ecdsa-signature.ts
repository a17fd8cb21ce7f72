import { derSequence, derUnsignedInteger } from './der';
import { SignerError } from './errors';

/**
 * Converts a raw ECDSA signature r||s (the CKM_ECDSA output of PKCS #11 Current Mechanisms v2.40) into
 * the DER Ecdsa-Sig-Value X.509 requires in signatureValue (RFC 3279 §2.2.3, RFC 5758 §3.2).
 */
export function ecdsaRawToDer(raw: Uint8Array): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new SignerError(`raw ECDSA signature has odd or zero length ${raw.length}`);
  }
  const half = raw.length / 2;
  return derSequence(derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half)));
}
