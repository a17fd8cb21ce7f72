// One software key = one JSON file `<keyId>.key.json` in the key directory:
//   { format: 'anchorage-soft-key', version: 1, keyId, keyType, label, spki, iv, ciphertext, tag }
// spki is the public key in clear (base64 DER); ciphertext is the PKCS#8 DER private key sealed with
// AES-256-GCM (NIST SP 800-38D) under the KEK with a random 96-bit IV (§8.2.2). The AAD binds the key id,
// key type and SPKI hash, so a file renamed, relabelled as another type or given another public key
// fails authentication instead of signing with the wrong key. A test key (a community's test kit,
// docs/test-certificates.md) carries `purpose: 'test'`, which its AAD binds too: a production key's file
// cannot be marked test, nor a test key's unmarked, without failing authentication.
import { createCipheriv, createDecipheriv, createHash, randomBytes, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isKeyType, type KeyType } from '@anchorage/contracts';
import { SignerError } from './errors';
import { formatSoftKeyRef } from './key-ref';

/** The stored form of a software key. */
export interface KeyFile {
  format: 'anchorage-soft-key';
  version: 1;
  keyId: string;
  keyType: KeyType;
  label: string;
  /** Present only on a test key: the signer then allows it the test kit's deviations (remote/tbs-guard.ts). */
  purpose?: 'test';
  spki: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** Path of the file holding `keyId` (keyId is validated hex, so it cannot escape keyDir). */
export function keyFilePath(keyDir: string, keyId: string): string {
  return join(keyDir, `${keyId}.key.json`);
}

function aad(keyId: string, keyType: KeyType, spki: Buffer, test: boolean): Buffer {
  const spkiHash = createHash('sha256').update(spki).digest('hex');
  // production keys keep the AAD they always had; a test key's names its purpose
  return Buffer.from(`anchorage-soft-key/v1|${keyId}|${keyType}|${spkiHash}${test ? '|test' : ''}`, 'utf8');
}

/** Encrypts a PKCS#8 DER private key into a KeyFile. */
export function sealKeyFile(
  kek: KeyObject,
  fields: { keyId: string; keyType: KeyType; label: string; spki: Buffer; test?: boolean },
  pkcs8: Buffer,
): KeyFile {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(fields.keyId, fields.keyType, fields.spki, fields.test === true));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return {
    format: 'anchorage-soft-key',
    version: 1,
    keyId: fields.keyId,
    keyType: fields.keyType,
    label: fields.label,
    ...(fields.test ? { purpose: 'test' as const } : {}),
    spki: fields.spki.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Decrypts a KeyFile to its PKCS#8 DER; callers zero the buffer once they hold a KeyObject. */
export function unsealKeyFile(kek: KeyObject, file: KeyFile): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(aad(file.keyId, file.keyType, Buffer.from(file.spki, 'base64'), file.purpose === 'test'));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw new SignerError(
      `cannot decrypt key ${formatSoftKeyRef(file.keyId)}: wrong key-encryption key or corrupted file`,
    );
  }
}

/** Parses and shape-checks a key file read from disk. */
export function parseKeyFile(text: string, expectedKeyId: string, path: string): KeyFile {
  const malformed = () => new SignerError(`key file ${path} is malformed or corrupted`);
  let v: Partial<Record<keyof KeyFile, unknown>>;
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    throw malformed();
  }
  const strings = ['keyId', 'keyType', 'label', 'spki', 'iv', 'ciphertext', 'tag'] as const;
  if (v === null || typeof v !== 'object' || v.format !== 'anchorage-soft-key' || v.version !== 1) throw malformed();
  if (strings.some((k) => typeof v[k] !== 'string')) throw malformed();
  if (v.keyId !== expectedKeyId || !isKeyType(v.keyType as string)) throw malformed();
  if (v.purpose !== undefined && v.purpose !== 'test') throw malformed();
  if (Buffer.from(v.iv as string, 'base64').length !== 12 || Buffer.from(v.tag as string, 'base64').length !== 16) {
    throw malformed();
  }
  return v as KeyFile;
}

/**
 * Writes a key file atomically with mode 0600: temp file, fsync, rename, fsync of the directory, so a
 * crash leaves either no key or a whole key (rename(2) is atomic within a file system).
 */
export async function writeKeyFileAtomic(keyDir: string, file: KeyFile): Promise<void> {
  const target = keyFilePath(keyDir, file.keyId);
  const temp = join(keyDir, `.${file.keyId}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  const dir = await fs.open(keyDir, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
