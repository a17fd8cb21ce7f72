// step-ca as a peer CA for the issuance benchmark: its configuration (the platform's own issuing key
// and certificates, a JWK provisioner, a durable badger database), one-time tokens minted up front,
// and the server process (started and stopped by its own pid). The binary comes from
// scripts/build-step-ca.sh (Debian's step-ca 0.19.0 Go sources and bench/peers/step-ca/main.go).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './env';

/** Where scripts/build-step-ca.sh leaves the binary (git-ignored). */
export const STEP_CA_BIN = process.env.BENCH_STEP_CA_BIN || join(REPO_ROOT, 'bench', '.peers', 'bin', 'step-ca');

/** The database driver step-ca is configured with: badger v2 (what `step ca init` writes), durable (see below). */
export const STEP_CA_DB = 'badgerv2';

/** Provisioner name = the `iss` of its tokens. */
const PROVISIONER = 'bench';

/** What a running step-ca needs to be loaded: where it listens, what to trust, how to mint tokens. */
export interface StepCaSetup {
  dir: string;
  configFile: string;
  rootFile: string;
  port: number;
  dbDir: string;
  /** A one-time token for a CSR whose subject CN is `cn` and whose SANs are `sans`. */
  mint(cn: string, sans: string[], lifetimeS?: number): string;
}

/** A free loopback TCP port (the OS picks it; step-ca binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/**
 * Writes ca.json for step-ca in `dir`: root and intermediate are the platform community's certificates,
 * the intermediate key is the platform's issuing key (PKCS#8, mode 0600), a JWK provisioner with an
 * EC P-256 key made here, and an x509 template giving leaves the extensions the platform's udap-server
 * profile gives (CA:FALSE, keyUsage digitalSignature, SAN URI, CDP, AIA caIssuers; step-ca adds SKI and
 * AKI itself). No `logger` section: step-ca then logs no request, like the platform's API started with
 * `logger: false`.
 */
export function writeStepCaConfig(o: {
  dir: string;
  port: number;
  rootDer: Uint8Array;
  issuingDer: Uint8Array;
  issuingKey: KeyObject;
  crlUrl: string;
  caIssuersUrl: string;
  leafValidityHours: number;
}): StepCaSetup {
  mkdirSync(o.dir, { recursive: true });
  const rootFile = join(o.dir, 'root.pem');
  const crtFile = join(o.dir, 'issuing.pem');
  const keyFile = join(o.dir, 'issuing.key');
  writeFileSync(rootFile, pem(o.rootDer, 'CERTIFICATE'));
  writeFileSync(crtFile, pem(o.issuingDer, 'CERTIFICATE'));
  writeFileSync(keyFile, o.issuingKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });

  // JWK provisioner key; kid = RFC 7638 thumbprint of the public key, as `step` computes it
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as { crv: string; kty: string; x: string; y: string; d: string };
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
  const publicJwk = { use: 'sig', kty: jwk.kty, kid, crv: jwk.crv, alg: 'ES256', x: jwk.x, y: jwk.y };

  const templateFile = join(o.dir, 'leaf.tpl');
  writeFileSync(templateFile, `{
  "subject": {{ toJson .Subject }},
  "sans": {{ toJson .SANs }},
  "keyUsage": ["digitalSignature"],
  "basicConstraints": {"isCA": false},
  "crlDistributionPoints": ${JSON.stringify([o.crlUrl])},
  "issuingCertificateURL": ${JSON.stringify([o.caIssuersUrl])}
}
`);
  const dbDir = join(o.dir, 'db');
  const hours = `${o.leafValidityHours}h`;
  const config = {
    root: rootFile,
    crt: crtFile,
    key: keyFile,
    address: `127.0.0.1:${o.port}`,
    dnsNames: ['localhost'],
    db: { type: STEP_CA_DB, dataSource: dbDir },
    authority: {
      claims: { minTLSCertDuration: '5m', maxTLSCertDuration: hours, defaultTLSCertDuration: hours },
      provisioners: [{ type: 'JWK', name: PROVISIONER, key: publicJwk, options: { x509: { templateFile } } }],
    },
    tls: {
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
      minVersion: 1.2,
      maxVersion: 1.3,
      renegotiation: false,
    },
  };
  const configFile = join(o.dir, 'ca.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const signingKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' })).toString('base64url');
  // step-ca accepts https://<dnsName>/1.0/sign (ports are ignored when audiences are compared)
  const aud = 'https://localhost/1.0/sign';
  const mint = (cn: string, sans: string[], lifetimeS = 900): string => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: PROVISIONER, sub: cn, aud, sans, nbf: now - 30, iat: now, exp: now + lifetimeS, jti: randomBytes(16).toString('hex') };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const sig = sign('sha256', Buffer.from(input), { key: signingKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    return `${input}.${sig}`;
  };
  return { dir: o.dir, configFile, rootFile, port: o.port, dbDir, mint };
}

/** A step-ca process this benchmark started. */
export interface RunningStepCa {
  child: ChildProcess;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

function tail(file: string, n = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Starts step-ca on `setup`'s config and resolves once its port accepts connections. */
export async function startStepCa(setup: StepCaSetup, timeoutMs = 60_000): Promise<RunningStepCa> {
  if (!existsSync(STEP_CA_BIN)) throw new Error(`no step-ca binary at ${STEP_CA_BIN} (bash scripts/build-step-ca.sh)`);
  const log = join(setup.dir, 'step-ca.log');
  const fd = openSync(log, 'a');
  const stepPath = join(setup.dir, 'step');
  mkdirSync(stepPath, { recursive: true });
  const child = spawn(STEP_CA_BIN, [setup.configFile], { stdio: ['ignore', fd, fd], env: { ...process.env, STEPPATH: stepPath } });
  closeSync(fd);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  // never leave it behind: killed by its own pid when this process exits or is interrupted
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const onSignal = () => killOnExit();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (exited) return;
    child.kill('SIGTERM'); // step-ca closes its database on SIGTERM
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exitedP;
    clearTimeout(t);
  };

  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`step-ca exited during start-up:\n${tail(log)}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: setup.port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (up) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`step-ca did not listen on 127.0.0.1:${setup.port} within ${timeoutMs} ms:\n${tail(log)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, pid: child.pid!, log, stop };
}
