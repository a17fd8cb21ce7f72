// Key pairs generated in the browser with WebCrypto, for the key types a community may allow.
// The private key is extractable only because it must go into the member's PKCS #12 (or PEM);
// it never leaves the browser otherwise, and is stored only encrypted (see keyStore.ts).
import { keyAlgorithmOf, LEAF_PROFILE_RULES, type KeyType, type LeafProfile, type LeafProfileRules } from '@anchorage/contracts';
import * as pkijs from 'pkijs';
import { toHex } from './bytes';
import { cryptoEngine } from './engine';

/** WebCrypto parameters of each key type: generation, and the hash the CSR is signed with. */
const ALGORITHMS: Record<KeyType, { generate: RsaHashedKeyGenParams | EcKeyGenParams; hash: 'SHA-256' | 'SHA-384'; label: string }> = {
  'RSA-2048': { generate: rsa(2048), hash: 'SHA-256', label: 'RSA 2048 (RSASSA-PKCS1-v1_5, SHA-256)' },
  'RSA-3072': { generate: rsa(3072), hash: 'SHA-256', label: 'RSA 3072 (RSASSA-PKCS1-v1_5, SHA-256)' },
  'RSA-4096': { generate: rsa(4096), hash: 'SHA-256', label: 'RSA 4096 (RSASSA-PKCS1-v1_5, SHA-256)' },
  'EC-P256': { generate: { name: 'ECDSA', namedCurve: 'P-256' }, hash: 'SHA-256', label: 'ECDSA P-256 (SHA-256)' },
  'EC-P384': { generate: { name: 'ECDSA', namedCurve: 'P-384' }, hash: 'SHA-384', label: 'ECDSA P-384 (SHA-384)' },
};

function rsa(modulusLength: number): RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

/** How a key type reads in the wizard. */
export const keyTypeLabel = (k: KeyType): string => ALGORITHMS[k].label;

/** The hash a CSR made with a `k` key is signed with. */
export const signatureHash = (k: KeyType): 'SHA-256' | 'SHA-384' => ALGORITHMS[k].hash;

/**
 * The key types the browser may generate for `profile` under the community's policy, the preferred
 * first: RSA-2048 when allowed (the UDAP default); only the profile's key algorithms, read from the
 * table the API enforces (`profiles`: LEAF_PROFILE_RULES, or a variant of it in tests).
 */
export function generatableKeyTypes(
  profile: LeafProfile, allowed: readonly KeyType[], profiles: Readonly<Record<LeafProfile, LeafProfileRules>> = LEAF_PROFILE_RULES,
): KeyType[] {
  const order: KeyType[] = ['RSA-2048', 'EC-P256', 'RSA-3072', 'EC-P384', 'RSA-4096'];
  const algorithms = profiles[profile].keyAlgorithms;
  return order.filter((k) => allowed.includes(k) && algorithms.includes(keyAlgorithmOf(k)));
}

/** A new key pair of type `k` (private key extractable for the PKCS #12, see the file comment). */
export async function generateKeyPair(k: KeyType): Promise<CryptoKeyPair> {
  cryptoEngine(); // fails clearly when WebCrypto is missing
  return window.crypto.subtle.generateKey(ALGORITHMS[k].generate, true, ['sign', 'verify']);
}

/**
 * A PKCS #8 private key of type `k` as a CryptoKey (extractable: it goes into the member's PKCS #12),
 * after keyStore.ts unwrapped it.
 */
export async function importPrivateKey(pkcs8: ArrayBuffer, k: KeyType): Promise<CryptoKey> {
  const g = ALGORITHMS[k].generate;
  const algorithm: RsaHashedImportParams | EcKeyImportParams = 'namedCurve' in g ? { name: 'ECDSA', namedCurve: g.namedCurve } : { name: g.name, hash: 'SHA-256' };
  return window.crypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
}

/** The key's SubjectPublicKeyInfo DER. */
export async function spkiOf(publicKey: CryptoKey): Promise<ArrayBuffer> {
  return window.crypto.subtle.exportKey('spki', publicKey);
}

/**
 * Fingerprint of a public key: SHA-256 of the subjectPublicKey BIT STRING of its SubjectPublicKeyInfo,
 * so the same key matches whatever parameters encoding (NULL or absent) the certificate carries.
 */
export async function publicKeyFingerprint(spkiDer: ArrayBuffer): Promise<string> {
  const info = pkijs.PublicKeyInfo.fromBER(spkiDer);
  const bits = info.subjectPublicKey.valueBlock.valueHexView;
  return toHex(await window.crypto.subtle.digest('SHA-256', bits.slice()));
}

/** The fingerprint of a certificate's public key (see publicKeyFingerprint). */
export async function certificateKeyFingerprint(certDer: Uint8Array<ArrayBuffer>): Promise<string> {
  const cert = pkijs.Certificate.fromBER(certDer);
  return publicKeyFingerprint(cert.subjectPublicKeyInfo.toSchema().toBER(false));
}
