import { createPrivateKey, createPublicKey, createSecretKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyType } from '@anchorage/contracts';
import { digestOf, signatureAlgorithmFor } from './algorithms';
import { SignerError } from './errors';
import { keyFilePath, parseKeyFile, unsealKeyFile } from './key-file';
import { parseSoftKeyRef } from './key-ref';
import { SoftwareKeyBackend } from './software-backend';
import { opensslVerify } from './testing/openssl';

describe('SoftwareKeyBackend', () => {
  let keyDir: string;
  const kek = randomBytes(32);
  beforeEach(() => {
    keyDir = join(mkdtempSync(join(tmpdir(), 'signer-soft-')), 'keys');
  });
  afterEach(() => rmSync(join(keyDir, '..'), { recursive: true, force: true }));

  const fileOf = (keyRef: string) => keyFilePath(keyDir, parseSoftKeyRef(keyRef));

  it.each<KeyType>(['EC-P256', 'EC-P384', 'RSA-2048'])('generates, stores and signs with %s keys verifiable by Node and OpenSSL', async (keyType) => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey(keyType, 'issuing CA 1');
    expect(key.keyRef).toMatch(/^soft:[0-9a-f]{32}$/);
    expect(key.keyType).toBe(keyType);
    const alg = signatureAlgorithmFor(keyType);
    const data = randomBytes(300);
    const signature = await backend.sign(key.keyRef, data, alg);
    const publicKey = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' });
    expect(verify(digestOf(alg), data, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(opensslVerify(key.spkiDer, data, signature, digestOf(alg))).toBe('Verified OK');

    // A fresh backend (new process, same KEK) reads the file back and signs with the same key.
    const reopened = new SoftwareKeyBackend({ keyDir, kek });
    expect(Buffer.from(await reopened.publicKey(key.keyRef)).equals(Buffer.from(key.spkiDer))).toBe(true);
    const again = await reopened.sign(key.keyRef, data, alg);
    expect(opensslVerify(key.spkiDer, data, again, digestOf(alg))).toBe('Verified OK');
  });

  it('generates RSA-4096 keys with e = 65537', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('RSA-4096', 'root');
    const details = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' }).asymmetricKeyDetails;
    expect(details).toMatchObject({ modulusLength: 4096, publicExponent: 65537n });
    const signature = await backend.sign(key.keyRef, Buffer.from('x'), 'sha256WithRSAEncryption');
    expect(signature.length).toBe(512);
  });

  it('writes one 0600 file per key and never the PKCS#8 in clear', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('EC-P256', 'label');
    expect(readdirSync(keyDir)).toEqual([`${parseSoftKeyRef(key.keyRef)}.key.json`]);
    const path = fileOf(key.keyRef);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = readFileSync(path);
    const pkcs8 = unsealKeyFile(createSecretKey(kek), parseKeyFile(raw.toString('utf8'), parseSoftKeyRef(key.keyRef), path));
    expect(pkcs8.length).toBeGreaterThan(100);
    for (const encoded of [pkcs8, Buffer.from(pkcs8.toString('base64')), Buffer.from(pkcs8.toString('hex'))]) {
      expect(raw.includes(encoded)).toBe(false);
    }
    // Nor does the private scalar itself, raw or base64url.
    const d = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).d!;
    expect(raw.includes(Buffer.from(d, 'base64url'))).toBe(false);
    expect(raw.includes(Buffer.from(d))).toBe(false);
  });

  it('gives a clear error for a wrong KEK', async () => {
    const key = await new SoftwareKeyBackend({ keyDir, kek }).generateKey('EC-P256', 'label');
    const wrong = new SoftwareKeyBackend({ keyDir, kek: randomBytes(32) });
    const message = `cannot decrypt key ${key.keyRef}: wrong key-encryption key or corrupted file`;
    await expect(wrong.sign(key.keyRef, Buffer.from('x'), 'ecdsaWithSHA256')).rejects.toThrow(new SignerError(message));
    await expect(wrong.publicKey(key.keyRef)).rejects.toThrow(message);
  });

  it.each(['ciphertext', 'tag', 'iv', 'keyType', 'spki'] as const)('detects a tampered %s', async (field) => {
    const key = await new SoftwareKeyBackend({ keyDir, kek }).generateKey('EC-P256', 'label');
    const path = fileOf(key.keyRef);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    if (field === 'keyType') file.keyType = 'EC-P384';
    else if (field === 'spki') file.spki = Buffer.from((await new SoftwareKeyBackend({ keyDir, kek }).generateKey('EC-P256', 'x')).spkiDer).toString('base64');
    else {
      const bytes = Buffer.from(file[field], 'base64');
      bytes[bytes.length - 1] ^= 1;
      file[field] = bytes.toString('base64');
    }
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    const fresh = new SoftwareKeyBackend({ keyDir, kek });
    await expect(fresh.sign(key.keyRef, Buffer.from('x'), 'ecdsaWithSHA256')).rejects.toThrow(/wrong key-encryption key or corrupted file/);
  });

  it('reports malformed files, missing keys and bad references clearly', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('EC-P256', 'label');
    writeFileSync(fileOf(key.keyRef), '{ not json', { mode: 0o600 });
    await expect(new SoftwareKeyBackend({ keyDir, kek }).publicKey(key.keyRef)).rejects.toThrow(/is malformed or corrupted/);
    const absent = `soft:${'0'.repeat(32)}`;
    await expect(backend.publicKey(absent)).rejects.toThrow(`key ${absent} not found in ${keyDir}`);
    await expect(backend.publicKey('soft:../../etc/passwd')).rejects.toThrow(/not a software key reference/);
  });

  it('refuses an algorithm that does not fit the key', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('EC-P256', 'label');
    await expect(backend.sign(key.keyRef, Buffer.from('x'), 'sha256WithRSAEncryption')).rejects.toThrow(SignerError);
  });

  it('refuses KEKs of the wrong length and empty labels', async () => {
    expect(() => new SoftwareKeyBackend({ keyDir, kek: randomBytes(16) })).toThrow(/32-byte key-encryption key/);
    await expect(new SoftwareKeyBackend({ keyDir, kek }).generateKey('EC-P256', '')).rejects.toThrow(/label/);
  });

  it('signs concurrently', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('EC-P256', 'label');
    const fresh = new SoftwareKeyBackend({ keyDir, kek });
    const data = [...Array(20)].map((_, i) => Buffer.from(`tbs ${i}`));
    const signatures = await Promise.all(data.map((d) => fresh.sign(key.keyRef, d, 'ecdsaWithSHA256')));
    const publicKey = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' });
    signatures.forEach((s, i) => expect(verify('sha256', data[i], publicKey, s)).toBe(true));
  });

  it('signs on its own thread or on the pool alike: the same RSA signature both ways, and a large input', async () => {
    const backend = new SoftwareKeyBackend({ keyDir, kek });
    const key = await backend.generateKey('RSA-2048', 'label');
    const publicKey = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' });
    const data = Buffer.from('the same TBS');
    // the first of a turn is signed on the calling thread, the ones after it on the thread pool
    const same = await Promise.all([1, 2, 3].map(() => backend.sign(key.keyRef, data, 'sha256WithRSAEncryption')));
    const alone = await backend.sign(key.keyRef, data, 'sha256WithRSAEncryption');
    for (const s of same) expect(Buffer.from(s).equals(Buffer.from(alone))).toBe(true);
    expect(verify('sha256', data, publicKey, alone)).toBe(true);
    const large = randomBytes(1024 * 1024);
    expect(verify('sha256', large, publicKey, await backend.sign(key.keyRef, large, 'sha256WithRSAEncryption'))).toBe(true);
  });
});
