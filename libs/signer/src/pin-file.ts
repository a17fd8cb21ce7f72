import { SignerError } from './errors';
import { readSecretFile } from './secret-file';

/** Reads a PKCS#11 user PIN from an owner-only file (one line; a trailing newline is ignored). */
export async function readPinFile(path: string): Promise<string> {
  const pin = (await readSecretFile(path, 'PIN')).toString('utf8').replace(/\r?\n$/, '');
  if (pin.length === 0 || /[\r\n]/.test(pin)) throw new SignerError(`PIN file ${path} must hold exactly one non-empty line`);
  return pin;
}
