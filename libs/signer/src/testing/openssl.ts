// Test helper: verifies signatures with OpenSSL, an implementation independent of Node's crypto
// bindings (architecture habit 12: a second implementation checks what the code produces).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM armour of an SPKI DER, written by hand so OpenSSL parses our bytes, not Node's re-encoding. */
export function spkiPem(spkiDer: Uint8Array): string {
  const b64 = Buffer.from(spkiDer).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

/** Runs `openssl dgst -<digest> -verify`; returns OpenSSL's output ("Verified OK") or throws. */
export function opensslVerify(spkiDer: Uint8Array, data: Uint8Array, signature: Uint8Array, digest: 'sha256' | 'sha384'): string {
  const dir = mkdtempSync(join(tmpdir(), 'signer-openssl-'));
  try {
    writeFileSync(join(dir, 'pub.pem'), spkiPem(spkiDer));
    writeFileSync(join(dir, 'data.bin'), data);
    writeFileSync(join(dir, 'sig.bin'), signature);
    return execFileSync(
      'openssl',
      ['dgst', `-${digest}`, '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.bin'), join(dir, 'data.bin')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** OpenSSL's textual dump of a public key (proves it parses the SPKI). */
export function opensslPublicKeyText(spkiDer: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'signer-openssl-'));
  try {
    writeFileSync(join(dir, 'pub.pem'), spkiPem(spkiDer));
    return execFileSync('openssl', ['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-noout', '-text'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
