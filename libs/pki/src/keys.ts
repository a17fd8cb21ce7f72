// Public-key inspection and the community key policy (UDAP profile "Leaf": RSA >= 2048, EC P-256/P-384).
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyType, LeafProfile } from '@anchorage/contracts';
import { Tag } from './der';
import { children, contentOf, DerError, expectTag, readRoot } from './der-reader';
import { PkiError } from './errors';

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

/** Describes a SubjectPublicKeyInfo; throws PkiError 'validation' when Node cannot import it. */
export function describePublicKey(spkiDer: Uint8Array): PublicKeyDescription {
  let details: NonNullable<ReturnType<typeof createPublicKey>['asymmetricKeyDetails']>;
  let type: string | undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    type = key.asymmetricKeyType;
    details = key.asymmetricKeyDetails ?? {};
  } catch (e) {
    throw new PkiError('validation', `unparseable public key: ${(e as Error).message}`);
  }
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return { keyType: RSA_KEY_TYPES[bits] ?? null, algorithm: 'RSA', bits, publicExponent: details.publicExponent };
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    return { keyType: CURVE_KEY_TYPES[curve] ?? null, algorithm: 'EC', curve };
  }
  return { keyType: null, algorithm: 'other' };
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
  /** Profiles whose holders must sign RS256 (UDAP servers and identity providers) pass true. */
  rsaOnly?: boolean;
}

/** Whether a leaf profile must use RSA: servers and identity providers sign RS256 (udap-profile.md "Leaf"). */
export function profileRequiresRsa(profile: LeafProfile): boolean {
  return profile === 'udap-server' || profile === 'udap-idp';
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
