// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for keys read out of a PKCS#11 token as raw attributes.
import { DER_NULL, derBitString, derSequence, derUnsignedInteger } from './der';

/** Named curves the signer supports (RFC 5480 §2.1.1.1). */
export type NamedCurve = 'P-256' | 'P-384';

/** DER OBJECT IDENTIFIER of each curve, which is also the PKCS#11 CKA_EC_PARAMS value (namedCurve choice). */
export const CURVE_OID_DER: Record<NamedCurve, Buffer> = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'), // 1.2.840.10045.3.1.7 prime256v1
  'P-384': Buffer.from('06052b81040022', 'hex'), // 1.3.132.0.34 secp384r1
};

/** Field size in bytes of each curve; an uncompressed point is 1 + 2 × this (SEC 1 §2.3.3). */
export const CURVE_FIELD_BYTES: Record<NamedCurve, number> = { 'P-256': 32, 'P-384': 48 };

const ID_EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex'); // 1.2.840.10045.2.1, RFC 5480 §2.1.1
const RSA_ENCRYPTION = Buffer.from('06092a864886f70d010101', 'hex'); // 1.2.840.113549.1.1.1, RFC 3279 §2.3.1

/** Finds the curve whose OID DER equals `oidDer` (a CKA_EC_PARAMS value), or undefined. */
export function curveFromOidDer(oidDer: Uint8Array): NamedCurve | undefined {
  const hex = Buffer.from(oidDer).toString('hex');
  return (Object.keys(CURVE_OID_DER) as NamedCurve[]).find((c) => CURVE_OID_DER[c].toString('hex') === hex);
}

/** SPKI of an RSA key (RFC 3279 §2.3.1: parameters NULL, RSAPublicKey in the BIT STRING). */
export function rsaSpki(modulus: Uint8Array, publicExponent: Uint8Array): Buffer {
  const rsaPublicKey = derSequence(derUnsignedInteger(modulus), derUnsignedInteger(publicExponent));
  return derSequence(derSequence(RSA_ENCRYPTION, DER_NULL), derBitString(rsaPublicKey));
}

/** SPKI of an EC key with a named curve and an uncompressed point (RFC 5480 §2.1.1, §2.2). */
export function ecSpki(curve: NamedCurve, uncompressedPoint: Uint8Array): Buffer {
  return derSequence(derSequence(ID_EC_PUBLIC_KEY, CURVE_OID_DER[curve]), derBitString(uncompressedPoint));
}
