// Reading and describing key objects on a PKCS#11 token (PKCS #11 Current Mechanisms v2.40, RSA and
// elliptic-curve key objects): attribute templates for generation, lookup by CKA_ID, SPKI reconstruction.
import { createPublicKey } from 'node:crypto';
import { endianness } from 'node:os';
import type { KeyType } from '@anchorage/contracts';
import * as pkcs11js from 'pkcs11js';
import { derReadTlv } from './der';
import { SignerError } from './errors';
import type { KeyParams } from './key-type';
import { keyTypeFromParams } from './key-type';
import { pkcs11Failure } from './pkcs11-errors';
import { CURVE_FIELD_BYTES, CURVE_OID_DER, curveFromOidDer, ecSpki, rsaSpki, type NamedCurve } from './spki';

/** Public key facts of a token key: its type, SPKI and (for EC) curve. */
export interface TokenPublicKey {
  keyType: KeyType;
  spki: Buffer;
  curve?: NamedCurve;
}

/**
 * Templates for C_GenerateKeyPair. The private key is a token object that never leaves the token
 * (CKA_SENSITIVE, not CKA_EXTRACTABLE) and may only sign: one key, one purpose (NIST SP 800-57 Pt 1 §5.2).
 */
export function keyPairTemplates(
  params: KeyParams,
  id: Buffer,
  label: string,
): { mechanism: number; publicTemplate: pkcs11js.Template; privateTemplate: pkcs11js.Template } {
  const keyType = params.kind === 'rsa' ? pkcs11js.CKK_RSA : pkcs11js.CKK_EC;
  const publicTemplate: pkcs11js.Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: keyType },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_VERIFY, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...(params.kind === 'rsa'
      ? [
          { type: pkcs11js.CKA_MODULUS_BITS, value: params.modulusBits },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([0x01, 0x00, 0x01]) },
        ]
      : [{ type: pkcs11js.CKA_EC_PARAMS, value: CURVE_OID_DER[params.curve] }]),
  ];
  const privateTemplate: pkcs11js.Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: keyType },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    { type: pkcs11js.CKA_DECRYPT, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: label },
  ];
  const mechanism = params.kind === 'rsa' ? pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11js.CKM_EC_KEY_PAIR_GEN;
  return { mechanism, publicTemplate, privateTemplate };
}

/** Finds the single object of `objectClass` with CKA_ID `id`; null when absent, an error when ambiguous. */
export function findKeyObject(
  lib: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  objectClass: number,
  id: Buffer,
  keyRef: string,
): pkcs11js.Handle | null {
  let found: pkcs11js.Handle[];
  try {
    lib.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: objectClass },
      { type: pkcs11js.CKA_ID, value: id },
    ]);
    try {
      found = lib.C_FindObjects(session, 2);
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  } catch (e) {
    throw pkcs11Failure(`PKCS#11 search for key ${keyRef} failed`, e);
  }
  if (found.length > 1) {
    throw new SignerError(`key ${keyRef} is ambiguous: several objects on the token share its CKA_ID`);
  }
  return found[0] ?? null;
}

function attribute(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, object: pkcs11js.Handle, type: number): Buffer {
  const [result] = lib.C_GetAttributeValue(session, object, [{ type }]);
  return result.value;
}

/** Decodes a CK_ULONG attribute value (native width and byte order). */
function readUlong(value: Buffer): number {
  if (value.length === 8) return Number(endianness() === 'LE' ? value.readBigUInt64LE() : value.readBigUInt64BE());
  return endianness() === 'LE' ? value.readUInt32LE() : value.readUInt32BE();
}

function bitLength(unsigned: Buffer): number {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  if (i === unsigned.length) return 0;
  return (unsigned.length - i - 1) * 8 + (32 - Math.clz32(unsigned[i]));
}

/** CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (EC public key objects); some tokens return it bare. */
function uncompressedPoint(value: Buffer, curve: NamedCurve): Buffer {
  const expected = 1 + 2 * CURVE_FIELD_BYTES[curve];
  if (value.length !== expected) {
    const tlv = derReadTlv(value);
    if (tlv.tag === 0x04 && tlv.length === value.length && tlv.content.length === expected) value = tlv.content;
  }
  if (value.length !== expected || value[0] !== 0x04) throw new SignerError('EC public key is not an uncompressed point');
  return value;
}

/** Reads the public key object and rebuilds its SubjectPublicKeyInfo, checked by parsing it with Node. */
export function readTokenPublicKey(
  lib: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  publicKey: pkcs11js.Handle,
  keyRef: string,
): TokenPublicKey {
  let result: TokenPublicKey;
  try {
    const kind = readUlong(attribute(lib, session, publicKey, pkcs11js.CKA_KEY_TYPE));
    if (kind === pkcs11js.CKK_RSA) {
      const modulus = attribute(lib, session, publicKey, pkcs11js.CKA_MODULUS);
      const keyType = keyTypeFromParams({ kind: 'rsa', modulusBits: bitLength(modulus) });
      if (!keyType) throw new SignerError(`key ${keyRef} has an unsupported RSA modulus of ${bitLength(modulus)} bits`);
      result = { keyType, spki: rsaSpki(modulus, attribute(lib, session, publicKey, pkcs11js.CKA_PUBLIC_EXPONENT)) };
    } else if (kind === pkcs11js.CKK_EC) {
      const curve = curveFromOidDer(attribute(lib, session, publicKey, pkcs11js.CKA_EC_PARAMS));
      if (!curve) throw new SignerError(`key ${keyRef} is on an unsupported elliptic curve`);
      const point = uncompressedPoint(attribute(lib, session, publicKey, pkcs11js.CKA_EC_POINT), curve);
      result = { keyType: curve === 'P-256' ? 'EC-P256' : 'EC-P384', spki: ecSpki(curve, point), curve };
    } else {
      throw new SignerError(`key ${keyRef} is neither RSA nor EC`);
    }
  } catch (e) {
    throw pkcs11Failure(`cannot read public key of ${keyRef}`, e);
  }
  try {
    createPublicKey({ key: result.spki, format: 'der', type: 'spki' });
  } catch {
    throw new SignerError(`public key of ${keyRef} on the token is invalid`);
  }
  return result;
}
