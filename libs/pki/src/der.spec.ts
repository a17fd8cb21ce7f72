import * as asn1js from 'asn1js';
import { toHex } from './bytes';
import { decodeOid } from './der-reader';
import {
  derBitString, derBoolean, derEnumerated, derExplicit, derGeneralizedTime, derIa5String, derImplicitPrimitive, derInteger,
  derLength, derNamedBits, derNull, derOctetString, derOid, derPrintableString, derSequence, derSet, derTime, derUtf8String, oidContent, tlv,
} from './der';

const hex = (b: Uint8Array) => toHex(b);

describe('derLength', () => {
  it.each([
    [0, '00'], [127, '7f'], [128, '8180'], [255, '81ff'], [256, '820100'], [65535, '82ffff'], [65536, '83010000'], [0x1000000, '8401000000'],
  ])('%d -> %s', (n, want) => expect(hex(derLength(n))).toBe(want));
  it('rejects negative and fractional lengths', () => {
    expect(() => derLength(-1)).toThrow(RangeError);
    expect(() => derLength(1.5)).toThrow(RangeError);
  });
});

describe('tlv / sequence / set', () => {
  it('wraps content with tag and length', () => {
    expect(hex(tlv(0x04, Uint8Array.of(1, 2), Uint8Array.of(3)))).toBe('0403010203');
    expect(hex(derSequence(derNull(), derBoolean(true)))).toBe('30050500' + '0101ff');
  });
  it('uses long-form lengths for big content', () => {
    const big = derOctetString(new Uint8Array(300));
    expect(hex(big.subarray(0, 4))).toBe('0482012c');
    expect(big.length).toBe(304);
  });
  it('sorts SET OF members by encoding (X.690 §11.6)', () => {
    expect(hex(derSet(derInteger(5), derInteger(1)))).toBe('3106020101020105');
  });
  it('rejects high tag numbers', () => expect(() => tlv(0x1f)).toThrow(RangeError));
});

describe('derInteger', () => {
  it.each<[Uint8Array | bigint | number, string]>([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [256, '02020100'],
    [65537, '0203010001'],
    [2n ** 64n, '0209010000000000000000'],
    [Uint8Array.of(0x00, 0x00, 0x7f), '02017f'],
    [Uint8Array.of(0x80, 0x01), '0203008001'],
    [Uint8Array.of(0x00, 0x80), '02020080'],
    [Uint8Array.of(0, 0, 0), '020100'],
    [new Uint8Array(0), '020100'],
  ])('%p -> %s', (v, want) => expect(hex(derInteger(v))).toBe(want));
  it('rejects negative values', () => {
    expect(() => derInteger(-1)).toThrow(RangeError);
    expect(() => derInteger(-1n)).toThrow(RangeError);
  });
  it('agrees with asn1js on a 20-byte magnitude', () => {
    const mag = Uint8Array.from({ length: 20 }, (_, i) => 0xf0 - i);
    const parsed = asn1js.fromBER(derInteger(mag).slice().buffer).result as asn1js.Integer;
    expect(hex(parsed.valueBlock.valueHexView)).toBe('00' + hex(mag));
  });
  it('encodes ENUMERATED like INTEGER with tag 0x0a', () => expect(hex(derEnumerated(1))).toBe('0a0101'));
});

describe('derOid', () => {
  it.each([
    ['1.2.840.113549.1.1.11', '06092a864886f70d01010b'],
    ['2.5.29.19', '0603551d13'],
    ['1.3.6.1.5.5.7.48.2', '06082b06010505073002'],
    ['2.999.3', '0603883703'],
    ['2.25.329800735698586629295641978511506172918', '06146983f09da7ebcfdee0c7a1a7b2c0948cc8f9d776'], // vector: openssl asn1parse -genstr
  ])('%s', (oid, want) => {
    expect(hex(derOid(oid))).toBe(want);
    expect(decodeOid(derOid(oid).subarray(2))).toBe(oid);
  });
  it('round-trips arcs on both sides of the plain-number range, and hands out copies of cached encodings', () => {
    for (const oid of ['1.2.35184372088831', '1.2.35184372088832', '1.2.9007199254740993', '2.39.4503599627370496']) {
      expect(decodeOid(derOid(oid).subarray(2))).toBe(oid);
    }
    const first = derOid('2.5.29.19');
    first[2] = 0;
    expect(hex(derOid('2.5.29.19'))).toBe('0603551d13');
    expect(hex(oidContent('2.5.29.19'))).toBe('551d13');
  });
  it('rejects malformed OIDs', () => {
    for (const bad of ['', '1', '3.1', '1.40', '1.2.03', 'a.b']) expect(() => derOid(bad)).toThrow(RangeError);
  });
});

describe('strings and primitives', () => {
  it('encodes NULL, BOOLEAN, OCTET STRING', () => {
    expect(hex(derNull())).toBe('0500');
    expect(hex(derBoolean(false))).toBe('010100');
    expect(hex(derOctetString(Uint8Array.of(0xab)))).toBe('0401ab');
  });
  it('encodes UTF8String as UTF-8', () => expect(hex(derUtf8String('Zürich'))).toBe('0c075ac3bc72696368'));
  it('encodes PrintableString and rejects characters outside it', () => {
    expect(hex(derPrintableString('US'))).toBe('13025553');
    expect(() => derPrintableString('a@b')).toThrow(RangeError);
  });
  it('encodes IA5String and rejects non-ASCII', () => {
    expect(hex(derIa5String('a'))).toBe('160161');
    expect(() => derIa5String('é')).toThrow(RangeError);
  });
  it('encodes BIT STRING with unused bits', () => {
    expect(hex(derBitString(Uint8Array.of(0x80), 7))).toBe('03020780');
    expect(() => derBitString(Uint8Array.of(1), 8)).toThrow(RangeError);
  });
  it('encodes named bits with trailing zero bits removed (X.690 §11.2.2)', () => {
    expect(hex(derNamedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(derNamedBits([5, 6]))).toBe('03020106'); // keyCertSign + cRLSign
    expect(hex(derNamedBits([0, 8]))).toBe('0303078080'); // decipherOnly spills into a second octet
  });
  it('encodes EXPLICIT and IMPLICIT context tags', () => {
    expect(hex(derExplicit(0, derInteger(2)))).toBe('a003020102');
    expect(hex(derImplicitPrimitive(6, Uint8Array.of(0x61)))).toBe('860161');
  });
});

describe('derTime (RFC 5280 §4.1.2.5)', () => {
  it('uses UTCTime for 1950-2049 and drops milliseconds', () => {
    const t = derTime(new Date('2026-03-04T05:06:07.890Z'));
    expect(t[0]).toBe(0x17);
    expect(Buffer.from(t.subarray(2)).toString()).toBe('260304050607Z');
    expect(Buffer.from(derTime(new Date('1950-01-01T00:00:00Z')).subarray(2)).toString()).toBe('500101000000Z');
    expect(Buffer.from(derTime(new Date('2049-12-31T23:59:59Z')).subarray(2)).toString()).toBe('491231235959Z');
  });
  it('uses GeneralizedTime from 2050 and before 1950', () => {
    const t = derTime(new Date('2050-01-01T00:00:00Z'));
    expect(t[0]).toBe(0x18);
    expect(Buffer.from(t.subarray(2)).toString()).toBe('20500101000000Z');
    expect(Buffer.from(derTime(new Date('1949-12-31T23:59:59Z')).subarray(2)).toString()).toBe('19491231235959Z');
  });
  it('always offers GeneralizedTime for invalidityDate', () => {
    expect(Buffer.from(derGeneralizedTime(new Date('2026-01-02T03:04:05Z')).subarray(2)).toString()).toBe('20260102030405Z');
  });
  it('rejects invalid dates', () => expect(() => derTime(new Date('nope'))).toThrow(RangeError));
});
