import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

/** Extensions an external root puts on an issuing CA it signs (UDAP profile "Issuing CA"). */
export const ISSUING_CA_EXTENSIONS = [
  'basicConstraints = critical,CA:TRUE,pathlen:0',
  'keyUsage = critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
  'crlDistributionPoints = URI:http://offline-root.test.invalid/root.crl',
  'authorityInfoAccess = caIssuers;URI:http://offline-root.test.invalid/root.cer',
];

/** An offline root played by OpenSSL: `openssl req -x509` made it, `openssl x509 -req` / `openssl ca` sign with it. */
export interface OpensslRoot {
  certPath: string;
  certPem: string;
  keyPath: string;
  /**
   * Signs a CSR (PEM) with `openssl x509 -req` and the given extension lines (default: the UDAP
   * issuing-CA profile); with `startDate`/`endDate` (YYYYMMDDHHMMSSZ) signs with `openssl ca` instead.
   */
  sign(csrPem: string, o?: { extensions?: string[]; days?: number; startDate?: string; endDate?: string }): string;
  /** A fresh CRL of the root from `openssl ca -gencrl` (DER). */
  crl(): Uint8Array;
}

let rootCounter = 0;

/** Creates a self-signed root (RSA-2048 unless `ec` names a curve; CA:TRUE, keyCertSign + cRLSign, SKI/AKI) in `dir`. */
export function opensslRoot(dir: string, o: { subject?: string; extensions?: string[]; ec?: 'P-256' | 'P-384' } = {}): OpensslRoot {
  const n = ++rootCounter;
  const p = (name: string) => join(dir, `root${n}-${name}`);
  const [certPath, keyPath, cnf] = [p('cert.pem'), p('key.pem'), p('ca.cnf')];
  writeFileSync(p('index.txt'), '');
  writeFileSync(p('crlnumber'), '1000\n');
  writeFileSync(p('serial'), `${randomSerialHex()}\n`);
  writeFileSync(cnf, [
    '[ca]', 'default_ca = root', '[root]', `database = ${p('index.txt')}`, `new_certs_dir = ${dir}`, `serial = ${p('serial')}`,
    `crlnumber = ${p('crlnumber')}`, `certificate = ${certPath}`, `private_key = ${keyPath}`, 'default_md = sha256',
    'default_crl_days = 7', 'policy = anything', 'unique_subject = no', 'preserve = yes', 'copy_extensions = none', 'crl_extensions = crl_ext',
    '[anything]', 'commonName = optional', 'organizationName = optional', 'countryName = optional',
    '[crl_ext]', 'authorityKeyIdentifier = keyid:always', '',
  ].join('\n'));
  const rootExt = o.extensions ?? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
  const r = openssl([
    'req', '-x509', '-newkey', o.ec ? 'ec' : 'rsa:2048', ...(o.ec ? ['-pkeyopt', `ec_paramgen_curve:${o.ec}`] : []), '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', o.subject ?? `/O=Offline Root Test/CN=Offline Root ${n}`,
    '-days', '3650', ...rootExt.flatMap((e) => ['-addext', e]),
  ]);
  if (r.status !== 0) throw new Error(`openssl req -x509 failed: ${r.stderr}`);
  let signed = 0;
  return {
    certPath,
    keyPath,
    certPem: readFileSync(certPath, 'utf8'),
    sign(csrPem, s = {}) {
      const m = ++signed;
      const csrPath = p(`req-${m}.pem`);
      const extPath = p(`ext-${m}.cnf`);
      const outPath = p(`signed-${m}.pem`);
      writeFileSync(csrPath, csrPem);
      writeFileSync(extPath, `[ext]\n${(s.extensions ?? ISSUING_CA_EXTENSIONS).join('\n')}\n`);
      const args = s.startDate || s.endDate
        ? ['ca', '-batch', '-config', cnf, '-in', csrPath, '-out', outPath, '-notext', '-extfile', extPath, '-extensions', 'ext',
          ...(s.startDate ? ['-startdate', s.startDate] : []), ...(s.endDate ? ['-enddate', s.endDate] : [])]
        : ['x509', '-req', '-in', csrPath, '-CA', certPath, '-CAkey', keyPath, '-set_serial', `0x${randomSerialHex()}`,
          '-days', String(s.days ?? 1825), '-extfile', extPath, '-extensions', 'ext', '-out', outPath];
      const x = openssl(args);
      if (x.status !== 0) throw new Error(`openssl ${args[0]} failed: ${x.stderr}`);
      return readFileSync(outPath, 'utf8');
    },
    crl() {
      const out = p(`crl-${Date.now()}-${++signed}.pem`);
      const g = openssl(['ca', '-gencrl', '-config', cnf, '-out', out]);
      if (g.status !== 0) throw new Error(`openssl ca -gencrl failed: ${g.stderr}`);
      return new Uint8Array(Buffer.from(readFileSync(out, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    },
  };
}

function randomSerialHex(): string {
  // 16 random octets with the top bit clear: a positive serial of 128 bits (RFC 5280 §4.1.2.2)
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x40;
  return b.toString('hex');
}
