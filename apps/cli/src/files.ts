import { closeSync, chmodSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Reads a certificate file (PEM or DER) and returns PEM text, as the API takes it. */
export function readCertificatePem(path: string): string {
  const raw = readFileSync(path);
  if (raw.subarray(0, 256).toString('latin1').includes('-----BEGIN')) return raw.toString('utf8');
  const b64 = raw.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${b64.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Reads a password file: its first line, without the line break (how `openssl -passin file:` reads it). */
export function readPasswordFile(path: string): string {
  const text = readFileSync(path, 'utf8');
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new Error(`password file ${path} is empty`);
  return line;
}

/**
 * A new file only its owner may read (mode 0600), created before the request that fills it, so a
 * private key is never issued into a path that cannot be written; refuses to overwrite a file.
 */
export class SecretFile {
  private fd: number | null;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'EEXIST' ? `${path} exists; refusing to overwrite it (choose another --p12-out)` : `cannot create ${path}: ${(err as Error).message}`);
    }
    chmodSync(path, 0o600); // whatever the umask
  }

  /** Writes the content and closes the file. */
  write(data: Uint8Array): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    writeSync(this.fd, data);
    closeSync(this.fd);
    this.fd = null;
  }

  /** Removes the file unless it was written. */
  discard(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    unlinkSync(this.path);
  }
}
