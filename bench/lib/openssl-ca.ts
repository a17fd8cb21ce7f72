// The OpenSSL baseline for CRL generation: `openssl ca -gencrl` over an index.txt CA database.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOpensslIndex } from './db';

/** A CA directory OpenSSL's `ca` command can generate CRLs from. */
export interface OpensslCa {
  dir: string;
  config: string;
  index: string;
  entries: number;
}

function run(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/**
 * Creates a separate RSA-2048 CA with OpenSSL (cRLSign, SKI, so the CRL carries an AKI like ours),
 * a minimal `ca` configuration with a CRL Number file, and an index.txt of `caId`'s revoked
 * certificates exported from the database.
 */
export async function makeOpensslCa(databaseUrl: string, caId: string): Promise<OpensslCa> {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-bench-openssl-'));
  run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.key'], dir);
  run(['req', '-new', '-x509', '-key', 'ca.key', '-subj', '/O=Bench/CN=Bench OpenSSL Issuing CA', '-days', '3650', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash', '-out', 'ca.pem'], dir);
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, [
    '[ ca ]', 'default_ca = bench_ca', '',
    '[ bench_ca ]', `dir = ${dir}`, 'database = $dir/index.txt', 'certificate = $dir/ca.pem', 'private_key = $dir/ca.key',
    'crlnumber = $dir/crlnumber', 'default_md = sha256', 'default_crl_days = 7', 'unique_subject = no',
    'crl_extensions = crl_ext', '',
    '[ crl_ext ]', 'authorityKeyIdentifier = keyid:always', '',
  ].join('\n'));
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  const index = join(dir, 'index.txt');
  const entries = await writeOpensslIndex(databaseUrl, caId, index);
  return { dir, config, index, entries };
}

/** Result of one `openssl ca -gencrl`. */
export interface GencrlRun {
  ms: number;
  timedOut: boolean;
}

/** Times `openssl ca -gencrl -crldays 7` writing `out` (PEM); kills it after `timeoutMs`. */
export function timeGencrl(ca: OpensslCa, out: string, timeoutMs: number): Promise<GencrlRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('openssl', ['ca', '-gencrl', '-batch', '-config', ca.config, '-crldays', '7', '-out', out], { cwd: ca.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (timedOut) resolve({ ms, timedOut: true });
      else if (code === 0) resolve({ ms, timedOut: false });
      else reject(new Error(`openssl ca -gencrl failed (${code}): ${stderr}`));
    });
  });
}

/** Number of entries OpenSSL put in a PEM CRL (via `openssl crl -text` would be slow; count serial lines). */
export function countPemCrlEntries(pemPath: string): number {
  const r = spawnSync('openssl', ['crl', '-in', pemPath, '-noout', '-text'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`openssl crl failed: ${r.stderr}`);
  return (r.stdout.match(/Serial Number:/g) ?? []).length;
}

/** `openssl crl -inform DER -noout -CAfile <issuer> -verify`: true when OpenSSL prints "verify OK". */
export function opensslVerifyCrl(crlDerPath: string, issuerPemPath: string): { ok: boolean; output: string } {
  const r = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', crlDerPath, '-noout', '-CAfile', issuerPemPath, '-verify'], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`.trim();
  return { ok: r.status === 0 && /verify OK/.test(output), output };
}

/** Removes an OpenSSL CA directory. */
export function removeOpensslCa(ca: OpensslCa): void {
  rmSync(ca.dir, { recursive: true, force: true });
}
