import { SignerError } from './errors';
import { formatPkcs11KeyRef, formatSoftKeyRef, parsePkcs11KeyRef, parseSoftKeyRef } from './key-ref';

describe('key references', () => {
  it('round-trips software references and refuses anything that could escape the key directory', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(parseSoftKeyRef(formatSoftKeyRef(id))).toBe(id);
    for (const bad of ['soft:../../etc/passwd', 'soft:ABC', `soft:${id}0`, `pkcs11:${id}`, 'soft:']) {
      expect(() => parseSoftKeyRef(bad)).toThrow(SignerError);
    }
  });

  it('round-trips PKCS#11 URIs with percent-encoded token labels and ids (RFC 7512)', () => {
    const ref = { token: 'Anchorage CA;1/é', id: Buffer.from('00ff10a5', 'hex') };
    const uri = formatPkcs11KeyRef(ref);
    expect(uri).toBe('pkcs11:token=Anchorage%20CA%3b1%2f%c3%a9;id=%00%ff%10%a5');
    const back = parsePkcs11KeyRef(uri);
    expect(back.token).toBe(ref.token);
    expect(back.id.equals(ref.id)).toBe(true);
  });

  it('never echoes a PIN carried in a URI', () => {
    for (const uri of ['pkcs11:token=x;id=%01?pin-value=s3cret', 'pkcs11:token=x;pin-value=s3cret;id=%01', 'soft:x?pin-value=s3cret']) {
      const parse = uri.startsWith('soft:') ? parseSoftKeyRef : parsePkcs11KeyRef;
      expect(() => parse(uri)).toThrow(SignerError);
      try {
        parse(uri);
      } catch (e) {
        expect((e as Error).message).not.toContain('s3cret');
      }
    }
  });

  it.each(['pkcs11:token=x', 'pkcs11:id=%01', 'pkcs11:token=x;id=%zz', 'pkcs11:token=x;id=%01;pin-value=1234', 'soft:x', 'pkcs11:token=a b;id=%01'])(
    'rejects %s',
    (uri) => {
      expect(() => parsePkcs11KeyRef(uri)).toThrow(SignerError);
    },
  );
});
