import { Name } from '@peculiar/x509';
import { toArrayBuffer, toHex } from './bytes';
import { encodeName, nameToString } from './names';
import { isPkiError } from './errors';
import { openssl } from './testing/test-ca';

describe('encodeName', () => {
  it('writes C, O, OU, CN as one attribute per RDN', () => {
    const der = encodeName({ commonName: 'Foo', organization: 'Acme', organizationalUnit: 'Ops', country: 'US' });
    expect(nameToString(der)).toBe('C=US, O=Acme, OU=Ops, CN=Foo');
    const json = new Name(toArrayBuffer(der)).toJSON();
    expect(json).toEqual([{ C: ['US'] }, { O: ['Acme'] }, { OU: ['Ops'] }, { CN: ['Foo'] }]);
  });
  it('uses PrintableString for C and UTF8String for the rest', () => {
    const der = encodeName({ commonName: 'Zoë', country: 'DE' });
    const h = toHex(der);
    expect(h).toContain('0603550406' + '1302' + '4445');
    expect(h).toContain('0603550403' + '0c04' + '5a6fc3ab');
  });
  it('is what OpenSSL reads', () => {
    const der = encodeName({ commonName: 'app', organization: 'Org' });
    const r = openssl(['asn1parse', '-inform', 'DER'], der);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('commonName');
    expect(r.stdout).toContain('UTF8STRING');
  });
  it.each([
    [{ commonName: '' }, /commonName/],
    [{ commonName: ' x' }, /commonName/],
    [{ commonName: 'x'.repeat(65) }, /longer than 64/],
    [{ commonName: 'x', country: 'usa' }, /country/],
    [{ commonName: 'a\u0001b' }, /control/],
  ])('rejects %p', (attrs, msg) => {
    try {
      encodeName(attrs);
      throw new Error('expected a failure');
    } catch (e) {
      expect(isPkiError(e, 'validation')).toBe(true);
      expect((e as Error).message).toMatch(msg);
    }
  });
  it('requires commonName', () => expect(() => encodeName({} as never)).toThrow(/commonName is required/));
});

describe('nameToString', () => {
  it('rejects garbage', () => expect(() => nameToString(Uint8Array.of(1, 2, 3))).toThrow(/Name/));
});
