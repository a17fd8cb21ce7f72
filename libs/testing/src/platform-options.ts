import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabaseUrl } from './database';
import { tempDir } from './openssl';

/**
 * Settings for a platform under test: this run's database, a fresh software key store with its
 * key-encryption key file (one base64 line, mode 0600, as the signer expects) and a publish dir.
 */
export function testPlatformOptions(publicBaseUrl = 'http://pki.test.invalid') {
  const dir = tempDir('anchorage-platform-');
  const kekFile = join(dir, 'kek');
  writeFileSync(kekFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'keys'));
  return {
    dir,
    databaseUrl: testDatabaseUrl(),
    publicBaseUrl,
    keyDir: join(dir, 'keys'),
    kekFile,
    pkcs11: null,
    caKeyBackend: 'software' as const,
    publishDir: join(dir, 'publish'),
    poolSize: 6,
  };
}
