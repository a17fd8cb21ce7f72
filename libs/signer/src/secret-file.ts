import { promises as fs } from 'node:fs';
import { SignerError } from './errors';

/**
 * Reads a file holding a secret (KEK, PIN), refusing it unless it is a regular file that only its owner
 * can read or write (mode & 0o077 === 0), the same rule OpenSSH applies to private key files.
 */
export async function readSecretFile(path: string, what: string): Promise<Buffer> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw new SignerError(`cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    // fstat on the opened file, so the checked file is the one read.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SignerError(`${what} file ${path} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new SignerError(`${what} file ${path} has mode ${mode}; it must not be accessible to group or others (chmod 600)`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
