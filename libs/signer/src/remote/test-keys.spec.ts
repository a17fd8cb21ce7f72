// Test keys at the signer socket (docs/test-certificates.md): a key generated as a test key may sign the
// test kit's deviations (no CDP, no SAN) for a TEST-named CA; a production key refuses the very same TBS,
// and the mark cannot be added to (or taken off) a key file afterwards.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleSigned, buildLeafTbs, buildRootCaTbs, buildTestLeafTbs, encodeName, newSerial, type LeafTbsParams } from '@anchorage/pki';
import { Signer } from '../signer';
import { SoftwareKeyBackend } from '../software-backend';
import { parseSoftKeyRef } from '../key-ref';
import { rejection } from '../testing/rejection';
import { openTestSigner, type TestSigner } from '../testing/test-signer';
import { SignerClient } from './client';
import { startSignerServer, type SignerServer } from './server';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const writePem = (dir: string, name: string, der: Uint8Array) => {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  writeFileSync(join(dir, name), `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
  return join(dir, name);
};
const openssl = (args: string[]) => {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, stdout: `${r.stdout}${r.stderr}` };
};
const noAudit = { before: async () => undefined, after: async () => undefined };
const DAY = 86_400_000;
const holder = new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));

function leafParams(issuerCn: string, caSpki: Uint8Array): LeafTbsParams {
  const now = Date.now();
  return {
    profile: 'udap-client', serial: newSerial(randomBytes(16)), subject: encodeName({ commonName: 'app.example.org', organization: 'Member' }),
    issuer: encodeName({ commonName: issuerCn, organization: 'Anchorage' }), spkiDer: holder, issuerSpkiDer: caSpki,
    notBefore: new Date(now - 60_000), notAfter: new Date(now + 30 * DAY), signatureAlgorithm: 'sha256WithRSAEncryption',
    sanUris: ['https://app.example.org/client'], crlUrl: 'http://pki.example.test/test.crl', caIssuersUrl: 'http://pki.example.test/test.cer',
  };
}

describe('test keys at the signer socket', () => {
  let t: TestSigner;
  let server: SignerServer;
  let client: SignerClient;
  let testKey: { keyRef: string; spkiDer: Uint8Array };
  const token = randomBytes(32);

  beforeAll(async () => {
    t = await openTestSigner();
    const socketPath = join(t.dir, 'signer.sock');
    server = await startSignerServer(t.signer, { socketPath, token });
    client = await SignerClient.connect({ socketPath, token });
    testKey = await client.generateKey('software', 'RSA-2048', 'Example TEST issuing CA', { test: true });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await t?.cleanup();
  });

  const sign = (keyRef: string, tbs: Uint8Array, profile: 'udap-client' | 'root' | 'issuing' = 'udap-client', purpose: 'certificate' | 'csr' | 'certification' = 'certificate') =>
    client.signTbs(keyRef, tbs, 'sha256WithRSAEncryption', noAudit, { purpose, subject: 'spec', profile });

  it('generates a test key only when asked, and says so', async () => {
    expect(testKey.keyRef).toMatch(/^soft:/);
    expect(await t.signer.isTestKey(testKey.keyRef)).toBe(true);
    expect(await t.signer.isTestKey(t.keyRef)).toBe(false);
    const file = JSON.parse(readFileSync(join(t.dir, 'keys', `${parseSoftKeyRef(testKey.keyRef)}.key.json`), 'utf8')) as Record<string, unknown>;
    expect(file.purpose).toBe('test');
  });

  it.each(['crlDistributionPoints', 'subjectAltName'] as const)('a production CA key refuses a leaf without %s; a test key signs it', async (omit) => {
    const prod = await rejection(sign(t.keyRef, buildTestLeafTbs(leafParams('Example TEST Issuing CA', t.spki), omit)));
    expect(prod.message).toMatch(omit === 'subjectAltName' ? /a leaf needs a subjectAltName/ : /cRLDistributionPoints is missing/);

    const tbs = buildTestLeafTbs(leafParams('Example TEST Issuing CA', testKey.spkiDer), omit);
    const cert = assembleSigned(tbs, 'sha256WithRSAEncryption', await sign(testKey.keyRef, tbs));
    // OpenSSL reads the certificate, finds the extension missing and the signature good under the test key
    const dir = tempDir('test-key-');
    const text = openssl(['x509', '-in', writePem(dir, 'leaf.pem', cert), '-noout', '-text']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Example TEST Issuing CA');
    expect(text.stdout.includes(omit === 'subjectAltName' ? 'Subject Alternative Name' : 'CRL Distribution Points')).toBe(false);
    const rootTbs = buildRootCaTbs({ serial: newSerial(randomBytes(16)), subject: encodeName({ commonName: 'Example TEST Issuing CA', organization: 'Anchorage' }), spkiDer: testKey.spkiDer,
      notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY), signatureAlgorithm: 'sha256WithRSAEncryption' });
    const root = assembleSigned(rootTbs, 'sha256WithRSAEncryption', await sign(testKey.keyRef, rootTbs, 'root'));
    const verified = openssl(['verify', '-x509_strict', '-CAfile', writePem(dir, 'root.pem', root), join(dir, 'leaf.pem')]);
    expect(verified.stdout).toContain(': OK');
    expect(verified.status).toBe(0);
  });

  it('a test key refuses anything else the lint finds, a non-TEST issuer, CSRs and certifications', async () => {
    // a leaf passed off as an issuing CA: lint problems that are no waived deviation
    const leaf = buildTestLeafTbs(leafParams('Example TEST Issuing CA', testKey.spkiDer), 'crlDistributionPoints');
    expect((await rejection(sign(testKey.keyRef, leaf, 'issuing'))).message).toMatch(/fails the issuing profile lint: .*basicConstraints must have CA:TRUE/);
    const production = buildTestLeafTbs(leafParams('Example Issuing CA', testKey.spkiDer), 'crlDistributionPoints');
    expect((await rejection(sign(testKey.keyRef, production))).message).toMatch(/only as a CA whose name carries TEST/);
    const clean = buildLeafTbs(leafParams('Example TEST Issuing CA', testKey.spkiDer));
    expect((await rejection(sign(testKey.keyRef, clean, 'udap-client', 'csr'))).message).toMatch(/a test key signs certificates and CRLs only/);
    expect((await rejection(sign(testKey.keyRef, clean, 'udap-client', 'certification'))).message).toMatch(/a test key signs certificates and CRLs only/);
    // the same clean leaf under a TEST issuer signs: the refusals above are the deviations, not the key
    expect((await sign(testKey.keyRef, clean)).length).toBeGreaterThan(0);
  });

  it('the test mark is bound to the sealed key file: added to a production key or removed from a test key, the key no longer opens', async () => {
    const kek = randomBytes(32);
    const dir = tempDir('test-key-file-');
    const keyDir = join(dir, 'keys');
    const first = new Signer([new SoftwareKeyBackend({ keyDir, kek })]);
    const prod = await first.generateKey('software', 'RSA-2048', 'production CA');
    const test = await first.generateKey('software', 'RSA-2048', 'TEST CA', { test: true });
    await first.close();
    const edit = (keyRef: string, change: (f: Record<string, unknown>) => void) => {
      const path = join(keyDir, `${parseSoftKeyRef(keyRef)}.key.json`);
      const f = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      change(f);
      writeFileSync(path, JSON.stringify(f));
    };
    edit(prod.keyRef, (f) => { f.purpose = 'test'; });
    edit(test.keyRef, (f) => { delete f.purpose; });
    const second = new Signer([new SoftwareKeyBackend({ keyDir, kek })]);
    expect((await rejection(second.isTestKey(prod.keyRef))).message).toMatch(/cannot decrypt key/);
    expect((await rejection(second.isTestKey(test.keyRef))).message).toMatch(/cannot decrypt key/);
    await second.close();
  });
});
