// Public-key inspection and the community key policy (UDAP profile "Leaf": RSA >= 2048, EC P-256/P-384).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { LEAF_PROFILE_RULES, type KeyType, type LeafProfile } from '@anchorage/contracts';
import { Tag } from './der';
import { children, contentOf, DerError, expectTag, integerMagnitude, readOid, readRoot, readUnsigned } from './der-reader';
import { PkiError } from './errors';
import { OID } from './oids';

/** What the platform needs to know about a public key. */
export interface PublicKeyDescription {
  /** The matching platform key type, or null when the key fits none (e.g. RSA-1024, P-521). */
  keyType: KeyType | null;
  algorithm: 'RSA' | 'EC' | 'other';
  bits?: number;
  publicExponent?: bigint;
  /** Node's curve name ('prime256v1', 'secp384r1', ...). */
  curve?: string;
}

const CURVE_KEY_TYPES: Record<string, KeyType> = { prime256v1: 'EC-P256', secp384r1: 'EC-P384' };
const RSA_KEY_TYPES: Record<number, KeyType> = { 2048: 'RSA-2048', 3072: 'RSA-3072', 4096: 'RSA-4096' };

// Named curves by OID with Node's names (RFC 5480 §2.1.1.1) and their field size in bytes.
const CURVES: Record<string, { name: string; bytes: number }> = {
  '1.2.840.10045.3.1.7': { name: 'prime256v1', bytes: 32 },
  '1.3.132.0.34': { name: 'secp384r1', bytes: 48 },
  '1.3.132.0.35': { name: 'secp521r1', bytes: 66 },
  '1.3.132.0.10': { name: 'secp256k1', bytes: 32 },
};

/**
 * Describes a SubjectPublicKeyInfo by reading its DER (RFC 3279 §2.3.1 RSA, RFC 5480 EC); throws
 * PkiError 'validation' when it is not well-formed. It reads, it does not import: the key's
 * mathematical validity is checked wherever it is used (a CSR's self-signature verification imports
 * the key with OpenSSL before any of this matters).
 */
export function describePublicKey(spkiDer: Uint8Array): PublicKeyDescription {
  return readSpki(spkiDer).description;
}

interface ReadSpki {
  description: PublicKeyDescription;
  /** RSA: the RSAPublicKey DER inside the BIT STRING. */
  rsaPublicKey?: Uint8Array;
  /** EC: the point inside the BIT STRING. */
  ecPoint?: Uint8Array;
}

function readSpki(spkiDer: Uint8Array): ReadSpki {
  try {
    const root = readRoot(spkiDer, Tag.sequence);
    const [alg, key, extra] = children(spkiDer, root);
    if (!alg || !key || extra) throw new DerError('SubjectPublicKeyInfo needs algorithm and subjectPublicKey', root.start);
    const [oidNode, params, more] = children(spkiDer, expectTag(alg, Tag.sequence));
    if (!oidNode || more) throw new DerError('malformed AlgorithmIdentifier', alg.start);
    const oid = readOid(spkiDer, oidNode);
    const bits = contentOf(spkiDer, expectTag(key, Tag.bitString));
    if (bits.length < 2 || bits[0] !== 0) throw new DerError('subjectPublicKey must have 0 unused bits', key.start);
    const keyBytes = bits.subarray(1);
    if (oid === OID.rsaEncryption) {
      if (!params || params.tag !== Tag.null || params.end !== params.contentStart) throw new DerError('rsaEncryption parameters must be NULL', alg.start);
      const rsa = readRoot(keyBytes, Tag.sequence);
      const [n, e, tail] = children(keyBytes, rsa);
      if (!n || !e || tail) throw new DerError('RSAPublicKey needs modulus and publicExponent', key.start);
      const nContent = contentOf(keyBytes, expectTag(n, Tag.integer));
      const publicExponent = readUnsigned(keyBytes, expectTag(e, Tag.integer));
      if (nContent.length === 0 || nContent[0] & 0x80 || (nContent.length > 1 && nContent[0] === 0 && !(nContent[1] & 0x80))) {
        throw new DerError('RSA modulus must be a positive, minimally encoded INTEGER', n.start);
      }
      const modulus = integerMagnitude(nContent);
      if (modulus[0] === 0 || publicExponent === 0n) throw new DerError('RSA modulus and exponent must be positive', key.start);
      const bitsOf = (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]));
      return { description: { keyType: RSA_KEY_TYPES[bitsOf] ?? null, algorithm: 'RSA', bits: bitsOf, publicExponent }, rsaPublicKey: keyBytes };
    }
    if (oid === OID.ecPublicKey) {
      if (!params || params.tag !== Tag.oid) throw new DerError('EC keys must name their curve (RFC 5480 namedCurve)', alg.start);
      const curveOid = readOid(spkiDer, params);
      const curve = CURVES[curveOid];
      if (curve) {
        const uncompressed = keyBytes[0] === 4 && keyBytes.length === 1 + 2 * curve.bytes;
        const compressed = (keyBytes[0] === 2 || keyBytes[0] === 3) && keyBytes.length === 1 + curve.bytes;
        if (!uncompressed && !compressed) throw new DerError(`not a ${curve.name} point`, key.start);
      }
      const name = curve?.name ?? curveOid;
      return { description: { keyType: CURVE_KEY_TYPES[name] ?? null, algorithm: 'EC', curve: name }, ecPoint: keyBytes };
    }
    return { description: { keyType: null, algorithm: 'other' } };
  } catch (e) {
    throw new PkiError('validation', `unparseable public key: ${(e as Error).message}`);
  }
}

const JWK_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/**
 * Imports a SubjectPublicKeyInfo as a Node KeyObject; throws PkiError 'validation' when OpenSSL
 * refuses it (an EC point off its curve, say). RSA keys are imported from their RSAPublicKey
 * (PKCS #1) and EC keys with an uncompressed point as a JWK: the same key, but OpenSSL 3's generic
 * SPKI decoder costs ~140 µs per key against ~4 µs (RSA) for these, and every CSR needs one import.
 */
export function importPublicKey(spkiDer: Uint8Array): KeyObject {
  const spki = readSpki(spkiDer);
  const { description: d } = spki;
  try {
    if (spki.rsaPublicKey) return createPublicKey({ key: Buffer.from(spki.rsaPublicKey), format: 'der', type: 'pkcs1' });
    const crv = d.curve ? JWK_CURVES[d.curve] : undefined;
    const point = spki.ecPoint;
    if (crv && point && point[0] === 4) {
      const n = (point.length - 1) / 2;
      const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64url');
      return createPublicKey({ key: { kty: 'EC', crv, x: b64(point.subarray(1, 1 + n)), y: b64(point.subarray(1 + n)) }, format: 'jwk' });
    }
    return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch (e) {
    throw new PkiError('validation', `public key does not import: ${(e as Error).message}`);
  }
}

/**
 * A KeyObject for any SubjectPublicKeyInfo OpenSSL accepts (a third party's certificate, a relying
 * party's view): importPublicKey's fast path where the key is one it reads, else OpenSSL's own SPKI
 * decoder, so a key encoded more loosely than the platform's reader allows imports as before.
 * Throws what OpenSSL throws for a key it refuses.
 */
export function publicKeyObject(spkiDer: Uint8Array): KeyObject {
  try {
    return importPublicKey(spkiDer);
  } catch {
    return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  }
}

/** The subjectPublicKey BIT STRING content (without the unused-bits octet) of an SPKI. */
export function subjectPublicKeyBits(spkiDer: Uint8Array): Uint8Array {
  try {
    const root = readRoot(spkiDer, Tag.sequence);
    const [alg, key] = children(spkiDer, root);
    if (!alg || !key) throw new DerError('SubjectPublicKeyInfo needs algorithm and subjectPublicKey', 0);
    expectTag(alg, Tag.sequence);
    const bits = contentOf(spkiDer, expectTag(key, Tag.bitString));
    if (bits.length < 1 || bits[0] !== 0) throw new DerError('subjectPublicKey must have 0 unused bits', key.start);
    return bits.subarray(1);
  } catch (e) {
    throw new PkiError('validation', `malformed SubjectPublicKeyInfo: ${(e as Error).message}`);
  }
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value (20 bytes). */
export function subjectKeyIdentifier(spkiDer: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(subjectPublicKeyBits(spkiDer)).digest());
}

/** Options of checkKeyPolicy. */
export interface KeyPolicyOptions {
  /** True for a profile whose keyAlgorithms are RSA only (LEAF_PROFILE_RULES; see profile-rules.ts). */
  rsaOnly?: boolean;
}

/** Whether a leaf profile accepts RSA keys only, as LEAF_PROFILE_RULES states (its holder signs RS256). */
export function profileRequiresRsa(profile: LeafProfile): boolean {
  return !LEAF_PROFILE_RULES[profile].keyAlgorithms.includes('EC');
}

/**
 * Enforces the key policy: RSA >= 2048 bits with e = 65537, EC only on P-256/P-384, RSA only when
 * `rsaOnly`, and the key type must be one the community allows. Returns the key type; throws
 * PkiError 'key-policy' with a message a member can act on.
 */
export function checkKeyPolicy(desc: PublicKeyDescription, allowed: readonly KeyType[], opts: KeyPolicyOptions = {}): KeyType {
  const fail = (msg: string): never => {
    throw new PkiError('key-policy', msg, { key: describeForError(desc), allowed });
  };
  if (desc.algorithm === 'other') fail('unsupported public key algorithm; use RSA (2048 bits or more) or EC P-256/P-384');
  if (desc.algorithm === 'RSA') {
    if ((desc.bits ?? 0) < 2048) fail(`RSA key is ${desc.bits ?? 0} bits; at least 2048 bits are required`);
    if (desc.publicExponent !== 65537n) {
      fail(`RSA public exponent is ${String(desc.publicExponent)}; only 65537 is accepted`);
    }
  }
  if (desc.algorithm === 'EC') {
    if (!desc.keyType) fail(`EC curve ${desc.curve ?? 'unknown'} is not supported; use P-256 or P-384`);
    if (opts.rsaOnly) fail('this profile requires an RSA key (its holder signs RS256 JWTs); EC keys are not accepted');
  }
  if (!desc.keyType) fail(`RSA key size ${desc.bits} bits is not one of 2048, 3072 or 4096`);
  const keyType = desc.keyType as KeyType;
  if (!allowed.includes(keyType)) {
    fail(`key type ${keyType} is not allowed by the community policy (allowed: ${allowed.join(', ') || 'none'})`);
  }
  return keyType;
}

function describeForError(desc: PublicKeyDescription): Record<string, unknown> {
  return {
    algorithm: desc.algorithm,
    keyType: desc.keyType,
    bits: desc.bits,
    curve: desc.curve,
    publicExponent: desc.publicExponent === undefined ? undefined : desc.publicExponent.toString(),
  };
}
