import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseCsr } from './csr';
import { PkiError } from './errors';
import { fromPem, toPem } from './pem';
import { openssl, TempDir, testKey } from './testing/test-ca';

const dir = new TempDir();
afterAll(() => dir.cleanup());

let n = 0;
function makeCsr(key: KeyObject, args: string[] = []): string {
  const keyPath = dir.write(`k${++n}.pem`, key.export({ type: 'pkcs8', format: 'pem' }) as string);
  const r = openssl(['req', '-new', '-key', keyPath, '-subj', '/C=US/O=Member Org/CN=app.example.org', ...args]);
  if (r.status !== 0) throw new Error(r.output);
  return r.stdout;
}

async function expectBadCsr(input: string | Uint8Array, msg: RegExp, opts?: { maxBytes?: number }) {
  const err = await parseCsr(input, opts).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PkiError);
  expect((err as PkiError).code).toBe('bad-csr');
  expect((err as Error).message).toMatch(msg);
}

describe('parseCsr', () => {
  const rsa = testKey('RSA-2048');
  const san = ['-addext', 'subjectAltName=URI:https://app.example.org/client,URI:https://app.example.org/client\\#T-TREAT,DNS:app.example.org'];

  it('parses an RSA PEM request with SAN URIs', async () => {
    const pem = makeCsr(rsa.privateKey, san);
    const csr = await parseCsr(pem);
    expect(csr.subject).toBe('C=US, O=Member Org, CN=app.example.org');
    expect(csr.key).toMatchObject({ keyType: 'RSA-2048', algorithm: 'RSA' });
    expect(csr.spkiDer).toEqual(rsa.spkiDer);
    expect(csr.sanUris).toEqual(['https://app.example.org/client', 'https://app.example.org/client#T-TREAT']);
    expect(csr.sha256).toBe(createHash('sha256').update(fromPem(pem)[0]).digest('hex'));
    expect(csr.der).toEqual(fromPem(pem)[0]);
  });
  it('parses DER input and the legacy NEW CERTIFICATE REQUEST label', async () => {
    const der = fromPem(makeCsr(rsa.privateKey))[0];
    expect((await parseCsr(der)).sanUris).toEqual([]);
    expect((await parseCsr(toPem(der, 'NEW CERTIFICATE REQUEST'))).subject).toContain('CN=app.example.org');
    expect((await parseCsr(new TextEncoder().encode(toPem(der, 'CERTIFICATE REQUEST')))).key.bits).toBe(2048);
  });
  it('accepts sha384/sha512 RSA and ECDSA P-256/P-384', async () => {
    expect((await parseCsr(makeCsr(rsa.privateKey, ['-sha384']))).key.keyType).toBe('RSA-2048');
    expect((await parseCsr(makeCsr(rsa.privateKey, ['-sha512']))).key.keyType).toBe('RSA-2048');
    expect((await parseCsr(makeCsr(testKey('EC-P256').privateKey, ['-sha256']))).key.keyType).toBe('EC-P256');
    expect((await parseCsr(makeCsr(testKey('EC-P384').privateKey, ['-sha384']))).key.keyType).toBe('EC-P384');
  });
  it('rejects a tampered request (bad self-signature)', async () => {
    const der = fromPem(makeCsr(rsa.privateKey))[0];
    const i = Buffer.from(der).indexOf('app.example.org');
    der[i] = 'b'.charCodeAt(0);
    await expectBadCsr(der, /signature does not verify/);
  });
  it('rejects a signature made by another key', async () => {
    const good = fromPem(makeCsr(rsa.privateKey))[0];
    const other = fromPem(makeCsr(testKey('RSA-2048', 'other').privateKey))[0];
    // Same lengths: swap in the other request's signature.
    const spliced = Uint8Array.from(good);
    spliced.set(other.subarray(other.length - 256), good.length - 256);
    await expectBadCsr(spliced, /signature does not verify/);
  });
  it('checks each self-signature of a burst, on the event loop or the thread pool, and tells good from tampered', async () => {
    const good = fromPem(makeCsr(rsa.privateKey, san))[0];
    const ec = makeCsr(testKey('EC-P256').privateKey);
    const tampered = Uint8Array.from(good);
    tampered[Buffer.from(good).indexOf('app.example.org')] = 'b'.charCodeAt(0);
    // 30 at once: the first is checked on this thread, the others on the pool (PoolWhenBusy)
    const inputs = Array.from({ length: 30 }, (_, k) => (k % 3 === 0 ? tampered : k % 3 === 1 ? good : ec));
    const outcomes = await Promise.all(inputs.map((csr) => parseCsr(csr).then((c) => c.key.algorithm, (e: PkiError) => e.message)));
    outcomes.forEach((o, k) => {
      if (k % 3 === 0) expect(o).toMatch(/signature does not verify/);
      else expect(o).toBe(k % 3 === 1 ? 'RSA' : 'EC');
    });
  });
  it('rejects unsupported signature algorithms', async () => {
    await expectBadCsr(makeCsr(rsa.privateKey, ['-sha1']), /1\.2\.840\.113549\.1\.1\.5 is not supported/);
    await expectBadCsr(makeCsr(rsa.privateKey, ['-sigopt', 'rsa_padding_mode:pss']), /1\.2\.840\.113549\.1\.1\.10 is not supported/);
    await expectBadCsr(makeCsr(generateKeyPairSync('ed25519').privateKey), /1\.3\.101\.112 is not supported/);
  });
  it('rejects oversize input', async () => {
    await expectBadCsr(makeCsr(rsa.privateKey), /the limit is 100/, { maxBytes: 100 });
    await expectBadCsr('x'.repeat(20000), /limit is 16384/);
  });
  it('rejects input that is neither PEM nor DER', async () => {
    await expectBadCsr('hello', /neither PEM nor DER/);
    await expectBadCsr(Uint8Array.of(1, 2, 3), /neither PEM nor DER/);
    await expectBadCsr('', /empty/);
  });
  it('rejects the wrong PEM label and multiple blocks', async () => {
    const der = fromPem(makeCsr(rsa.privateKey))[0];
    await expectBadCsr(toPem(der, 'CERTIFICATE'), /found "CERTIFICATE"/);
    await expectBadCsr(toPem(der, 'CERTIFICATE REQUEST').repeat(2), /one PEM block, found 2/);
    await expectBadCsr('-----BEGIN CERTIFICATE REQUEST-----\nMII', /malformed/);
  });
  it('rejects unparseable DER and trailing bytes', async () => {
    await expectBadCsr(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00), /not a parseable PKCS #10/);
    const der = fromPem(makeCsr(rsa.privateKey))[0];
    const trailing = new Uint8Array(der.length + 1);
    trailing.set(der);
    await expectBadCsr(trailing, /trailing bytes/);
  });
});
