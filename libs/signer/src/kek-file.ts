// The key-encryption key (KEK) of the software backend lives in a file: 32 random bytes written as one
// line of standard base64 (RFC 4648 §4, 44 characters with padding), mode 0600.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SignerError } from './errors';
import { readSecretFile } from './secret-file';

/** Length of the KEK in bytes (AES-256, NIST SP 800-38D with a 256-bit key). */
export const KEK_BYTES = 32;

const BASE64_KEK = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Loads a 32-byte key file (one base64 line, owner-only permissions): the KEK, the web tier's key, the
 * signer token. Errors name the path and what it is, never the content.
 */
export async function loadKeyFile(path: string, what: string): Promise<Buffer> {
  const text = (await readSecretFile(path, what)).toString('utf8').trim();
  if (!BASE64_KEK.test(text)) {
    throw new SignerError(`${what} file ${path} must hold ${KEK_BYTES} bytes as one line of base64`);
  }
  return Buffer.from(text, 'base64');
}

/** Loads a KEK file: one base64 line of 32 bytes, owner-only permissions; errors name the path, never the content. */
export function loadKekFile(path: string): Promise<Buffer> {
  return loadKeyFile(path, 'key-encryption key');
}

/** Creates a new key file of 32 random bytes with mode 0600; refuses to overwrite an existing file (losing a key loses what it protects). */
export async function createKeyFile(path: string, what: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SignerError(
      code === 'EEXIST'
        ? `${what} file ${path} already exists; refusing to overwrite it`
        : `cannot create ${what} file ${path}: ${code ?? 'error'}`,
    );
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${randomBytes(KEK_BYTES).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates a new KEK file with mode 0600; refuses to overwrite an existing file (losing a KEK loses every key). */
export function createKekFile(path: string): Promise<void> {
  return createKeyFile(path, 'key-encryption key');
}
