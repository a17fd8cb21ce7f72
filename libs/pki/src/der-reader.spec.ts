import { fromHex } from './bytes';
import { derGeneralizedTime, derInteger, derOid, derSequence, derTime, derUtf8String } from './der';
import { children, decodeOid, DerError, readOid, readRoot, readTime, readTlv, readUnsigned } from './der-reader';

describe('der-reader', () => {
  it('walks a SEQUENCE and its children', () => {
    const der = derSequence(derInteger(5), derOid('2.5.29.19'), derUtf8String('x'));
    const root = readRoot(der, 0x30);
    const kids = children(der, root);
    expect(kids.map((k) => k.tag)).toEqual([0x02, 0x06, 0x0c]);
    expect(readUnsigned(der, kids[0])).toBe(5n);
    expect(readOid(der, kids[1])).toBe('2.5.29.19');
  });
  it('reads long-form lengths', () => {
    const der = derSequence(derUtf8String('a'.repeat(300)));
    expect(readRoot(der).end).toBe(der.length);
  });
  it.each([
    ['indefinite length', '3080'],
    ['non-minimal long form', '30810100'],
    ['leading zero length octet', '3082000100'],
    ['truncated content', '300500'],
    ['high tag number', '1f0100'],
  ])('rejects %s', (_name, h) => expect(() => readRoot(fromHex(h))).toThrow(DerError));
  it('rejects trailing bytes at the root', () => expect(() => readRoot(fromHex('050000'))).toThrow(/trailing/));
  it('rejects negative and non-minimal INTEGERs where unsigned values are expected', () => {
    const neg = fromHex('0201ff');
    expect(() => readUnsigned(neg, readTlv(neg))).toThrow(/negative/);
    const pad = fromHex('0202007f');
    expect(() => readUnsigned(pad, readTlv(pad))).toThrow(/non-minimal/);
  });
  it('decodes OIDs including large arcs and the 2.x arc', () => {
    expect(decodeOid(derOid('2.999.3').subarray(2))).toBe('2.999.3');
    expect(decodeOid(derOid('1.2.840.113549.1.1.11').subarray(2))).toBe('1.2.840.113549.1.1.11');
  });
  it('reads UTCTime and GeneralizedTime', () => {
    const d = new Date('2049-12-31T23:59:59Z');
    const u = derTime(d);
    expect(readTime(u, readTlv(u)).toISOString()).toBe(d.toISOString());
    const g = derGeneralizedTime(new Date('2051-06-01T00:00:00Z'));
    expect(readTime(g, readTlv(g)).toISOString()).toBe('2051-06-01T00:00:00.000Z');
    const bad = fromHex('170d3236313333313030303030305a'); // month 13
    expect(() => readTime(bad, readTlv(bad))).toThrow(DerError);
  });
});
