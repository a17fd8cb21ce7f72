import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of an OpenSSL run. */
export interface OpensslResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the system `openssl` (the independent implementation every test checks against). */
export function openssl(args: string[], input?: Uint8Array | string): OpensslResult {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'anchorage-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes DER blobs as one PEM file and returns its path. */
export function writePem(dir: string, name: string, ders: Uint8Array[], label = 'CERTIFICATE'): string {
  const body = ders
    .map((d) => `-----BEGIN ${label}-----\n${Buffer.from(d).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`)
    .join('');
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}
