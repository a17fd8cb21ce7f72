// Test-only helpers: throwaway keys, a signer built on Node crypto, and an OpenSSL runner.
// Not exported from index.ts; libs/pki itself never holds private keys.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyType, LeafProfile } from '@anchorage/contracts';
import { nodeHashFor, signatureAlgorithmFor, type SignatureAlgorithm } from '../algorithms';
import { buildIssuingCaTbs, buildLeafTbs, buildRootCaTbs } from '../certificate-templates';
import { CrlEncoder } from '../crl-encoder';
import { encodeName } from '../names';
import { subjectKeyIdentifier } from '../keys';
import { assembleSigned } from '../tbs-certificate';

/** A generated key pair with the encodings tests need. */
export interface TestKey {
  keyType: KeyType;
  privateKey: KeyObject;
  spkiDer: Uint8Array;
  pkcs8Der: Uint8Array;
}

const keyCache = new Map<string, TestKey>();

/** Generates (or reuses, per `label`) a key of the given type. */
export function testKey(keyType: KeyType, label = 'default'): TestKey {
  const cacheKey = `${keyType}/${label}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const pair = keyType.startsWith('RSA')
    ? generateKeyPairSync('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 65537 })
    : generateKeyPairSync('ec', { namedCurve: keyType === 'EC-P256' ? 'P-256' : 'P-384' });
  const key: TestKey = {
    keyType,
    privateKey: pair.privateKey,
    spkiDer: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })),
    pkcs8Der: new Uint8Array(pair.privateKey.export({ type: 'pkcs8', format: 'der' })),
  };
  keyCache.set(cacheKey, key);
  return key;
}

/** Signs a TBS the way libs/signer will: RSA PKCS #1 v1.5, or ECDSA with a DER Ecdsa-Sig-Value. */
export function signTbs(tbs: Uint8Array, alg: SignatureAlgorithm, key: TestKey): Uint8Array {
  const hash = nodeHashFor(alg);
  const sig = alg === 'sha256WithRSAEncryption'
    ? sign(hash, tbs, key.privateKey)
    : sign(hash, tbs, { key: key.privateKey, dsaEncoding: 'der' });
  return assembleSigned(tbs, alg, new Uint8Array(sig));
}

/** Serial bytes from a small counter, padded to 16 octets with the top bits set like newSerial. */
export function testSerial(n: number): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0x40;
  new DataView(out.buffer).setUint32(12, n);
  return out;
}

const DAY = 86_400_000;

/** A signed CA with the data children need. */
export interface TestCa {
  key: TestKey;
  alg: SignatureAlgorithm;
  subject: Uint8Array;
  der: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

/** Options of buildTestChain. */
export interface TestChainOptions {
  now: Date;
  rootKeyType?: KeyType;
  issuingKeyType?: KeyType;
  leafKeyType?: KeyType;
  leafProfile?: LeafProfile;
  leafNotBefore?: Date;
  leafNotAfter?: Date;
  sanUris?: string[];
  label?: string;
}

/** A root → issuing → leaf chain signed with Node crypto. */
export interface TestChain {
  root: TestCa;
  issuing: TestCa;
  leaf: { key: TestKey; der: Uint8Array; serial: Uint8Array };
  urls: { rootCrl: string; rootCert: string; issuingCrl: string; issuingCert: string };
}

/** Builds a root → issuing → leaf chain with the production templates. */
export function buildTestChain(o: TestChainOptions): TestChain {
  const label = o.label ?? 'chain';
  const urls = {
    rootCrl: 'http://pki.example.test/crl/root.crl',
    rootCert: 'http://pki.example.test/ca/root.cer',
    issuingCrl: 'http://pki.example.test/crl/issuing.crl',
    issuingCert: 'http://pki.example.test/ca/issuing.cer',
  };
  const rootKey = testKey(o.rootKeyType ?? 'RSA-2048', `${label}-root`);
  const rootAlg = signatureAlgorithmFor(rootKey.keyType);
  const rootSubject = encodeName({ commonName: `Test Root ${label}`, organization: 'Anchorage Test', country: 'US' });
  const rootNb = new Date(o.now.getTime() - 10 * DAY);
  const rootNa = new Date(o.now.getTime() + 3650 * DAY);
  const rootTbs = buildRootCaTbs({
    serial: testSerial(1), subject: rootSubject, spkiDer: rootKey.spkiDer, notBefore: rootNb, notAfter: rootNa,
    signatureAlgorithm: rootAlg, crlUrl: urls.rootCrl,
  });
  const root: TestCa = { key: rootKey, alg: rootAlg, subject: rootSubject, der: signTbs(rootTbs, rootAlg, rootKey), notBefore: rootNb, notAfter: rootNa };

  const issKey = testKey(o.issuingKeyType ?? 'RSA-2048', `${label}-issuing`);
  const issAlg = signatureAlgorithmFor(issKey.keyType);
  const issSubject = encodeName({ commonName: `Test Issuing ${label}`, organization: 'Anchorage Test', country: 'US' });
  const issNa = new Date(o.now.getTime() + 1825 * DAY);
  const issTbs = buildIssuingCaTbs({
    serial: testSerial(2), subject: issSubject, issuer: rootSubject, spkiDer: issKey.spkiDer, issuerSpkiDer: rootKey.spkiDer,
    notBefore: rootNb, notAfter: issNa, signatureAlgorithm: rootAlg, crlUrl: urls.rootCrl, caIssuersUrl: urls.rootCert,
  });
  const issuing: TestCa = { key: issKey, alg: issAlg, subject: issSubject, der: signTbs(issTbs, rootAlg, rootKey), notBefore: rootNb, notAfter: issNa };

  const leaf = issueTestLeaf(issuing, {
    key: testKey(o.leafKeyType ?? 'RSA-2048', `${label}-leaf`),
    serial: testSerial(100),
    profile: o.leafProfile,
    notBefore: o.leafNotBefore ?? new Date(o.now.getTime() - 60_000),
    notAfter: o.leafNotAfter ?? new Date(o.now.getTime() + 365 * DAY),
    sanUris: o.sanUris,
    crlUrl: urls.issuingCrl,
    caIssuersUrl: urls.issuingCert,
  });
  return { root, issuing, leaf, urls };
}

/** Options of issueTestLeaf. */
export interface TestLeafOptions {
  key: TestKey;
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  crlUrl: string;
  caIssuersUrl: string;
  profile?: LeafProfile;
  sanUris?: string[];
}

/** Issues a leaf under a test CA with the production leaf template. */
export function issueTestLeaf(issuing: TestCa, o: TestLeafOptions): { key: TestKey; der: Uint8Array; serial: Uint8Array } {
  const tbs = buildLeafTbs({
    profile: o.profile ?? 'udap-client',
    serial: o.serial,
    subject: encodeName({ commonName: 'app.example.org', organization: 'Member Org' }),
    issuer: issuing.subject,
    spkiDer: o.key.spkiDer,
    issuerSpkiDer: issuing.key.spkiDer,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    signatureAlgorithm: issuing.alg,
    sanUris: o.sanUris ?? ['https://app.example.org/client'],
    crlUrl: o.crlUrl,
    caIssuersUrl: o.caIssuersUrl,
  });
  return { key: o.key, der: signTbs(tbs, issuing.alg, issuing.key), serial: o.serial };
}

/** Builds and signs a CRL for a test CA. */
export function signTestCrl(
  ca: TestCa,
  o: { thisUpdate: Date; nextUpdate: Date; crlNumber: bigint; entries?: { serial: Uint8Array; date: Date; reason?: number }[] },
): Uint8Array {
  const enc = new CrlEncoder({
    issuer: ca.subject, signatureAlgorithm: ca.alg, thisUpdate: o.thisUpdate, nextUpdate: o.nextUpdate,
    crlNumber: o.crlNumber, authorityKeyId: subjectKeyIdentifier(ca.key.spkiDer),
  });
  for (const e of o.entries ?? []) enc.addEntry(e.serial, e.date, e.reason);
  return signTbs(enc.finishTbs(), ca.alg, ca.key);
}

/** Result of an OpenSSL run. */
export interface OpensslResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions on messages. */
  output: string;
}

/** Runs /usr/bin/openssl with the given arguments (never through a shell). */
export function openssl(args: string[], input?: string | Uint8Array): OpensslResult {
  const r = spawnSync('/usr/bin/openssl', args, { input, encoding: 'latin1', maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

/** A temporary directory for OpenSSL inputs, removed by `cleanup()`. */
export class TempDir {
  /** Absolute path of the directory. */
  readonly path = mkdtempSync(join(tmpdir(), 'anchorage-pki-'));

  /** Writes a file and returns its path. */
  write(name: string, data: string | Uint8Array): string {
    const p = join(this.path, name);
    writeFileSync(p, data);
    return p;
  }

  /** Removes the directory. */
  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
