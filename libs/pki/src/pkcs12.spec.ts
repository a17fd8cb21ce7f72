import { createHash } from 'node:crypto';
import { pfxDerProblems, pkcs12Problems } from '@anchorage/testing';
import { toHex } from './bytes';
import { PkiError } from './errors';
import { buildPkcs12 } from './pkcs12';
import { buildTestChain, openssl, TempDir } from './testing/test-ca';

const dir = new TempDir();
afterAll(() => dir.cleanup());
const chain = buildTestChain({ now: new Date(), label: 'p12' });
const ecChain = buildTestChain({ now: new Date(), label: 'p12-ec', leafKeyType: 'EC-P256' });
// node-forge runs PBKDF2 (100,000 iterations) in JavaScript and keytool starts a JVM twice: headroom, not a speed check
const SLOW = 180_000;

describe('buildPkcs12', () => {
  let p12: Uint8Array;
  let p12Path: string;
  beforeAll(async () => {
    p12 = await buildPkcs12({
      privateKeyPkcs8: chain.leaf.key.pkcs8Der, leafDer: chain.leaf.der, chainDers: [chain.issuing.der, chain.root.der],
      password: 'correct horse', friendlyName: 'app.example.org',
    });
    p12Path = dir.write('member.p12', p12);
  });

  it('opens with OpenSSL 3 (default provider) and holds key, leaf and chain', () => {
    const r = openssl(['pkcs12', '-in', p12Path, '-passin', 'pass:correct horse', '-nodes']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
    expect(r.stdout).toContain('-----BEGIN PRIVATE KEY-----');
    expect(r.stdout).toContain('subject=C = US, O = Anchorage Test, CN = Test Issuing p12');
    // The key really is the leaf's key.
    const keyPub = openssl(['pkey', '-pubout'], r.stdout.slice(r.stdout.indexOf('-----BEGIN PRIVATE KEY-----'))).stdout;
    const leafPub = openssl(['x509', '-inform', 'DER', '-noout', '-pubkey'], chain.leaf.der).stdout;
    expect(keyPub).toBe(leafPub);
  });

  it('is DER throughout: no constructed OCTET STRING (tag 0x24), no indefinite length, encryptedContent primitive', () => {
    // PKI.js's engine splits encrypted content into 1,024-octet pieces unless told otherwise; node-forge refuses that key bag
    expect(pfxDerProblems(p12)).toEqual([]);
  });

  it('opens in OpenSSL, keytool and node-forge: MAC verified, the key is the leaf\'s, leaf then issuing CA then root', () => {
    expect(pkcs12Problems(p12, { password: 'correct horse', leafDer: chain.leaf.der, chainDers: [chain.issuing.der, chain.root.der], friendlyName: 'app.example.org' })).toEqual([]);
  }, SLOW);

  it('uses PBES2/AES-256-CBC, a SHA-256 MAC and localKeyID on key and leaf', () => {
    const r = openssl(['pkcs12', '-in', p12Path, '-passin', 'pass:correct horse', '-info', '-nodes']);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/MAC: sha256/);
    expect(r.output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    const localKeyId = toHex(createHash('sha1').update(chain.leaf.der).digest()).toUpperCase().match(/../g)!.join(' ');
    expect(r.output.split(`localKeyID: ${localKeyId}`).length - 1).toBe(2);
    expect(r.output.split('friendlyName: app.example.org').length - 1).toBe(2);
    expect(r.output).not.toContain('<Empty Attributes>'); // CA bags carry no attribute SET at all
  });

  it('fails with the wrong password', () => {
    const r = openssl(['pkcs12', '-in', p12Path, '-passin', 'pass:wrong', '-nodes']);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/mac verify failure|Mac verify error/i);
  });

  it('works for an EC P-256 key without friendlyName', async () => {
    const p12 = await buildPkcs12({ privateKeyPkcs8: ecChain.leaf.key.pkcs8Der, leafDer: ecChain.leaf.der, chainDers: [ecChain.issuing.der], password: 'pw', iterations: 2048 });
    const r = openssl(['pkcs12', '-in', dir.write('ec.p12', p12), '-passin', 'pass:pw', '-nodes', '-info']);
    expect(r.status).toBe(0);
    expect(r.output).toContain('-----BEGIN PRIVATE KEY-----');
    expect(r.output).not.toContain('friendlyName');
    expect(r.output.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    // node-forge makes no key object of an EC key; the checker then compares the decrypted PrivateKeyInfo
    expect(pfxDerProblems(p12)).toEqual([]);
    expect(pkcs12Problems(p12, { password: 'pw', leafDer: ecChain.leaf.der, chainDers: [ecChain.issuing.der] })).toEqual([]);
  }, SLOW);

  it('rejects an empty password and bad inputs', async () => {
    const base = { privateKeyPkcs8: chain.leaf.key.pkcs8Der, leafDer: chain.leaf.der, chainDers: [], password: 'x' };
    await expect(buildPkcs12({ ...base, password: '' })).rejects.toThrow(PkiError);
    await expect(buildPkcs12({ ...base, privateKeyPkcs8: Uint8Array.of(1, 2) })).rejects.toThrow(/PKCS #8/);
    await expect(buildPkcs12({ ...base, leafDer: Uint8Array.of(1, 2) })).rejects.toThrow(/X\.509/);
  });
});
