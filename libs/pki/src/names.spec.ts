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
  it('prints what @peculiar/x509 prints, for string types, escapes, multi-valued RDNs and unknown types', () => {
    const names = [
      'C=US, O=Acme\\, Inc., OU=Ops+OU=Dev, CN=\\#hash, CN= lead',
      'CN=Zoë  Müller, L=Zürich, ST=ZH, DC=example, E=a@example.org, 2.5.4.5=1234',
      'CN=a\\+b\\;c\\<d\\>e\\"f, SN=Smith, G=Ann, T=Dr, I=A',
    ];
    for (const text of names) {
      const der = new Uint8Array(new Name(text).toArrayBuffer());
      expect(nameToString(der)).toBe(new Name(toArrayBuffer(der)).toString());
    }
  });
  it('decodes BMPString and UniversalString, and prints other value types as #hex', () => {
    const bmp = Buffer.from('Zoë', 'utf16le').swap16();
    const universal = Buffer.concat([...'Zoë'].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32BE(ch.codePointAt(0)!); return b; }));
    const atv = (oid: number[], tag: number, content: Uint8Array) =>
      Uint8Array.of(0x31, content.length + oid.length + 6, 0x30, content.length + oid.length + 4, 0x06, oid.length, ...oid, tag, content.length, ...content);
    const cn = [0x55, 0x04, 0x03];
    const der = (...sets: Uint8Array[]) => Uint8Array.of(0x30, sets.reduce((n, x) => n + x.length, 0), ...sets.flatMap((x) => [...x]));
    expect(nameToString(der(atv(cn, 0x1e, bmp), atv(cn, 0x1c, universal)))).toBe('CN=Zoë, CN=Zoë');
    expect(nameToString(der(atv(cn, 0x02, Uint8Array.of(5))))).toBe('CN=#020105');
    expect(() => nameToString(der(atv(cn, 0x0c, Uint8Array.of(0xff))))).toThrow(/unparseable Name/);
  });
  it('agrees with OpenSSL on the subject it prints', () => {
    const der = encodeName({ commonName: 'app', organization: 'Org', country: 'US' });
    const r = openssl(['asn1parse', '-inform', 'DER'], der);
    expect(r.status).toBe(0);
    expect(nameToString(der)).toBe('C=US, O=Org, CN=app');
    for (const v of ['US', 'Org', 'app']) expect(r.stdout).toContain(`:${v}`);
  });
});
