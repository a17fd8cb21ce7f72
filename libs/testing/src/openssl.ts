import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** A key pair and PKCS#10 request made by OpenSSL (an independent implementation). */
export interface OpensslCsr {
  csrPem: string;
  keyPem: string;
  csrPath: string;
  keyPath: string;
}

let csrCounter = 0;

/** Makes a CSR with `openssl req`: RSA of `bits`, or EC on `curve`, with URI SANs. */
export function opensslCsr(dir: string, o: { rsaBits?: number; curve?: 'P-256' | 'P-384'; sans?: string[]; cn?: string; exponent3?: boolean }): OpensslCsr {
  const n = ++csrCounter;
  const keyPath = join(dir, `key-${n}.pem`);
  const csrPath = join(dir, `csr-${n}.pem`);
  const genArgs = o.curve
    ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${o.curve}`, '-out', keyPath]
    : ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${o.rsaBits ?? 2048}`, ...(o.exponent3 ? ['-pkeyopt', 'rsa_keygen_pubexp:3'] : []), '-out', keyPath];
  const g = openssl(genArgs);
  if (g.status !== 0) throw new Error(`openssl genpkey failed: ${g.stderr}`);
  const args = ['req', '-new', '-key', keyPath, '-subj', `/CN=${o.cn ?? 'test'}`, '-out', csrPath];
  if (o.sans?.length) args.push('-addext', `subjectAltName=${o.sans.map((s) => `URI:${s}`).join(',')}`);
  const r = openssl(args);
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return { csrPath, keyPath, csrPem: readFileSync(csrPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

/** `openssl verify -x509_strict -crl_check_all` of a leaf against an anchor, intermediates and CRLs. */
export function opensslVerify(dir: string, o: { anchors: Uint8Array[]; intermediates?: Uint8Array[]; crls?: Uint8Array[]; leaf: Uint8Array; attime?: Date }): OpensslResult {
  const n = ++csrCounter;
  const args = ['verify', '-x509_strict', '-crl_check_all', '-CAfile', writePem(dir, `anchors-${n}.pem`, o.anchors)];
  if (o.intermediates?.length) args.push('-untrusted', writePem(dir, `inter-${n}.pem`, o.intermediates));
  (o.crls ?? []).forEach((c, i) => args.push('-CRLfile', writePem(dir, `crl-${n}-${i}.pem`, [c], 'X509 CRL')));
  if (o.attime) args.push('-attime', String(Math.floor(o.attime.getTime() / 1000)));
  args.push(writePem(dir, `leaf-${n}.pem`, [o.leaf]));
  return openssl(args);
}
