import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabaseUrl } from './database';
import { tempDir } from './openssl';
import { REPO_ROOT } from './processes';

/**
 * Settings for a platform under test: this run's database, a fresh software key store with its
 * key-encryption key file (one base64 line, mode 0600, as the signer expects) and a publish dir.
 */
export function testPlatformOptions(publicBaseUrl = 'http://pki.test.invalid') {
  const dir = tempDir('anchorage-platform-');
  const kekFile = join(dir, 'kek');
  writeFileSync(kekFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  // the web tier's own key (sessions, sealed TOTP and webhook secrets), shared by in-process platforms and API processes
  const webKeyFile = join(dir, 'web-key');
  writeFileSync(webKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'keys'));
  return {
    dir,
    databaseUrl: testDatabaseUrl(),
    publicBaseUrl,
    keyDir: join(dir, 'keys'),
    kekFile,
    webKeyFile,
    pkcs11: null,
    caKeyBackend: 'software' as const,
    publishDir: join(dir, 'publish'),
    poolSize: 6,
  };
}

/** testPlatformOptions on a database of its own, and the way to drop it. */
export type IsolatedPlatformOptions = ReturnType<typeof testPlatformOptions> & { drop(): Promise<void> };

/**
 * testPlatformOptions on a freshly migrated database of its own, for tests that start the real API
 * or worker process: those refuse to start unless every CA key in their database opens, and the
 * run's shared database holds other test files' CAs, whose keys are in other key stores.
 */
export async function isolatedPlatformOptions(publicBaseUrl?: string): Promise<IsolatedPlatformOptions> {
  const options = testPlatformOptions(publicBaseUrl);
  const name = `${new URL(options.databaseUrl).pathname.slice(1).slice(0, 54)}_${randomBytes(4).toString('hex')}`;
  const url = (await testDatabaseScript('create', options.databaseUrl, name)).trim();
  return { ...options, databaseUrl: url, drop: async () => void (await testDatabaseScript('drop', options.databaseUrl, name)) };
}

function testDatabaseScript(command: 'create' | 'drop', siblingUrl: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const script = [join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, 'scripts/test-database.ts')];
    execFile(process.execPath, ['-r', script[0], script[1], command, siblingUrl, name], { cwd: REPO_ROOT }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scripts/test-database.ts ${command} ${name} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}
