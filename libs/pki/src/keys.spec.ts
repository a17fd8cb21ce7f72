import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { toHex } from './bytes';
import { PkiError } from './errors';
import { derBitString, derOid, derSequence } from './der';
import { checkKeyPolicy, describePublicKey, importPublicKey, profileRequiresRsa, publicKeyObject, subjectKeyIdentifier } from './keys';
import { OID } from './oids';
import { openssl, TempDir, testKey } from './testing/test-ca';

const spki = (k: { publicKey: KeyObject }) => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));

describe('describePublicKey', () => {
  it('describes RSA keys', () => {
    const d = describePublicKey(testKey('RSA-2048').spkiDer);
    expect(d).toEqual({ keyType: 'RSA-2048', algorithm: 'RSA', bits: 2048, publicExponent: 65537n });
  });
  it('describes EC keys', () => {
    expect(describePublicKey(testKey('EC-P256').spkiDer)).toEqual({ keyType: 'EC-P256', algorithm: 'EC', curve: 'prime256v1' });
    expect(describePublicKey(testKey('EC-P384').spkiDer).keyType).toBe('EC-P384');
  });
  it('returns keyType null for sizes and curves outside the platform set', () => {
    expect(describePublicKey(spki(generateKeyPairSync('rsa', { modulusLength: 1024 }))).keyType).toBeNull();
    expect(describePublicKey(spki(generateKeyPairSync('ec', { namedCurve: 'P-521' })))).toMatchObject({ keyType: null, curve: 'secp521r1' });
    expect(describePublicKey(spki(generateKeyPairSync('ed25519'))).algorithm).toBe('other');
  });
  it('throws a PkiError for garbage', () => expect(() => describePublicKey(Uint8Array.of(0x30, 0))).toThrow(PkiError));
  it('reads what Node imports, for every size and curve', () => {
    const keys = [
      ...[1024, 2048, 3072, 4096].map((modulusLength) => generateKeyPairSync('rsa', { modulusLength })),
      generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }),
      ...['P-256', 'P-384', 'P-521', 'secp256k1'].map((namedCurve) => generateKeyPairSync('ec', { namedCurve })),
    ];
    for (const k of keys) {
      const d = describePublicKey(spki(k));
      const node = k.publicKey.asymmetricKeyDetails!;
      if (k.publicKey.asymmetricKeyType === 'rsa') expect(d).toMatchObject({ algorithm: 'RSA', bits: node.modulusLength, publicExponent: node.publicExponent });
      else expect(d).toMatchObject({ algorithm: 'EC', curve: node.namedCurve });
    }
  });
  it('refuses malformed RSA and EC keys', () => {
    const rsa = spki(generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const ec = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    const noNull = Uint8Array.from(rsa);
    expect(noNull[17]).toBe(0x05); // 30 82 01 22 | 30 0d | 06 09 <rsaEncryption> | 05 00
    noNull[17] = 0x04; // NULL parameters -> an empty OCTET STRING
    const shortPoint = Uint8Array.from(ec.subarray(0, ec.length - 1)); // 30 59 | 30 13 ... | 03 42 00 04 X Y
    expect([shortPoint[1], shortPoint[23], shortPoint[24]]).toEqual([0x59, 0x03, 0x42]);
    shortPoint[1] -= 1;
    shortPoint[24] -= 1;
    for (const bad of [noNull, shortPoint, Uint8Array.from([...rsa, 0])]) {
      expect(() => describePublicKey(bad)).toThrow(/unparseable public key/);
    }
  });
});

describe('importPublicKey', () => {
  it('imports the same key as the SPKI import, for RSA and every EC curve', () => {
    const keys = [generateKeyPairSync('rsa', { modulusLength: 2048 }), ...['P-256', 'P-384', 'P-521', 'secp256k1'].map((namedCurve) => generateKeyPairSync('ec', { namedCurve }))];
    for (const k of keys) {
      const imported = importPublicKey(spki(k));
      expect(imported.equals(k.publicKey)).toBe(true);
      const data = Buffer.from('proof of possession');
      expect(verify('sha256', data, imported, sign('sha256', data, k.privateKey))).toBe(true);
    }
  });
  it('refuses an EC point that is not on its curve', () => {
    const good = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    const bad = Uint8Array.from(good);
    bad[bad.length - 1] ^= 0x01; // y no longer matches x
    expect(() => importPublicKey(bad)).toThrow(/does not import/);
  });
});

describe('publicKeyObject', () => {
  it('imports what OpenSSL imports, including keys the strict reader refuses, and refuses what OpenSSL refuses', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(publicKeyObject(spki(rsa)).equals(rsa.publicKey)).toBe(true);
    expect(publicKeyObject(spki(ec)).equals(ec.publicKey)).toBe(true);
    // rsaEncryption without its NULL parameters: importPublicKey refuses it, OpenSSL (a relying party) does not
    const loose = derSequence(derSequence(derOid(OID.rsaEncryption)), derBitString(new Uint8Array(rsa.publicKey.export({ type: 'pkcs1', format: 'der' }))));
    expect(() => importPublicKey(loose)).toThrow(/parameters must be NULL/);
    expect(publicKeyObject(loose).equals(rsa.publicKey)).toBe(true);
    expect(() => publicKeyObject(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00))).toThrow();
  });
});

describe('subjectKeyIdentifier (RFC 5280 §4.2.1.2 method 1)', () => {
  it('matches OpenSSL subjectKeyIdentifier=hash', () => {
    const key = testKey('RSA-2048');
    const dir = new TempDir();
    try {
      const keyPem = dir.write('k.pem', key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      const r = openssl(['req', '-new', '-x509', '-key', keyPem, '-subj', '/CN=x', '-days', '1', '-addext', 'subjectKeyIdentifier=hash']);
      expect(r.status).toBe(0);
      const text = openssl(['x509', '-noout', '-ext', 'subjectKeyIdentifier'], r.stdout).stdout;
      const fromOpenssl = /\n\s+([0-9A-F:]+)\s*$/.exec(text)![1].replace(/:/g, '').toLowerCase();
      expect(toHex(subjectKeyIdentifier(key.spkiDer))).toBe(fromOpenssl);
    } finally {
      dir.cleanup();
    }
  });
  it('hashes only the BIT STRING value, not the whole SPKI', () => {
    const key = testKey('EC-P256');
    expect(toHex(subjectKeyIdentifier(key.spkiDer))).not.toBe(createHash('sha1').update(key.spkiDer).digest('hex'));
  });
});

describe('checkKeyPolicy', () => {
  const all = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384'] as const;
  const expectPolicy = (fn: () => unknown, msg: RegExp) => {
    try {
      fn();
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(PkiError);
      expect((e as PkiError).code).toBe('key-policy');
      expect((e as Error).message).toMatch(msg);
    }
  };
  it('accepts allowed keys and returns the key type', () => {
    expect(checkKeyPolicy(describePublicKey(testKey('RSA-2048').spkiDer), [...all])).toBe('RSA-2048');
    expect(checkKeyPolicy(describePublicKey(testKey('EC-P384').spkiDer), [...all])).toBe('EC-P384');
  });
  it('rejects short RSA keys', () => expectPolicy(() => checkKeyPolicy({ keyType: null, algorithm: 'RSA', bits: 1024, publicExponent: 65537n }, [...all]), /1024 bits; at least 2048/));
  it('rejects RSA exponents other than 65537', () => expectPolicy(() => checkKeyPolicy({ keyType: 'RSA-2048', algorithm: 'RSA', bits: 2048, publicExponent: 3n }, [...all]), /exponent is 3/));
  it('rejects other curves', () => expectPolicy(() => checkKeyPolicy({ keyType: null, algorithm: 'EC', curve: 'secp521r1' }, [...all]), /secp521r1.*P-256 or P-384/));
  it('rejects EC when the profile is RSA-only', () => expectPolicy(() => checkKeyPolicy(describePublicKey(testKey('EC-P256').spkiDer), [...all], { rsaOnly: true }), /requires an RSA key/));
  it('rejects key types the community does not allow', () => expectPolicy(() => checkKeyPolicy(describePublicKey(testKey('EC-P256').spkiDer), ['RSA-2048']), /EC-P256 is not allowed.*RSA-2048/));
  it('rejects non-RSA/EC algorithms', () => expectPolicy(() => checkKeyPolicy({ keyType: null, algorithm: 'other' }, [...all]), /unsupported public key algorithm/));
  it('rejects odd RSA sizes', () => expectPolicy(() => checkKeyPolicy({ keyType: null, algorithm: 'RSA', bits: 2304, publicExponent: 65537n }, [...all]), /2304 bits is not one of/));
});

describe('profileRequiresRsa', () => {
  it('is true for servers, identity providers and certifiers only', () => {
    expect(profileRequiresRsa('udap-server')).toBe(true);
    expect(profileRequiresRsa('udap-idp')).toBe(true);
    expect(profileRequiresRsa('udap-certifier')).toBe(true);
    expect(profileRequiresRsa('udap-client')).toBe(false);
  });
});
