import type { KeyObject } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import { SignerError } from './errors';
import type { NamedCurve } from './spki';

/** What a KeyType means: RSA modulus length, or EC named curve. */
export type KeyParams = { kind: 'rsa'; modulusBits: 2048 | 3072 | 4096 } | { kind: 'ec'; curve: NamedCurve };

/** Generation parameters of a key type. */
export function keyParams(keyType: KeyType): KeyParams {
  switch (keyType) {
    case 'RSA-2048':
      return { kind: 'rsa', modulusBits: 2048 };
    case 'RSA-3072':
      return { kind: 'rsa', modulusBits: 3072 };
    case 'RSA-4096':
      return { kind: 'rsa', modulusBits: 4096 };
    case 'EC-P256':
      return { kind: 'ec', curve: 'P-256' };
    case 'EC-P384':
      return { kind: 'ec', curve: 'P-384' };
    default:
      throw new SignerError(`unsupported key type '${String(keyType)}'`);
  }
}

/** The KeyType of an RSA modulus size or EC curve, or undefined when the signer does not support it. */
export function keyTypeFromParams(
  params: { kind: 'rsa'; modulusBits: number } | { kind: 'ec'; curve?: string },
): KeyType | undefined {
  if (params.kind === 'rsa') {
    return ({ 2048: 'RSA-2048', 3072: 'RSA-3072', 4096: 'RSA-4096' } as Record<number, KeyType>)[params.modulusBits];
  }
  return ({ 'P-256': 'EC-P256', prime256v1: 'EC-P256', 'P-384': 'EC-P384', secp384r1: 'EC-P384' } as Record<string, KeyType>)[
    params.curve ?? ''
  ];
}

/** The KeyType of a Node key object (public or private), or undefined when unsupported. */
export function keyTypeOfKeyObject(key: KeyObject): KeyType | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return keyTypeFromParams({ kind: 'rsa', modulusBits: details.modulusLength ?? 0 });
  if (key.asymmetricKeyType === 'ec') return keyTypeFromParams({ kind: 'ec', curve: details.namedCurve });
  return undefined;
}

/** Refuses empty or control-character labels; a label is a display name, never an identifier. */
export function assertLabel(label: string): void {
  if (typeof label !== 'string' || label.length === 0 || label.length > 128 || /[\x00-\x1f\x7f]/.test(label)) {
    throw new SignerError('key label must be 1-128 printable characters');
  }
}
