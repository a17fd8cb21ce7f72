import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { toHex } from './bytes';
import { PkiError } from './errors';
import { checkKeyPolicy, describePublicKey, profileRequiresRsa, subjectKeyIdentifier } from './keys';
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
  it('is true for servers and identity providers only', () => {
    expect(profileRequiresRsa('udap-server')).toBe(true);
    expect(profileRequiresRsa('udap-idp')).toBe(true);
    expect(profileRequiresRsa('udap-client')).toBe(false);
  });
});
