import { derInteger } from './der';
import { PkiError } from './errors';
import { newSerial, serialFromHex, serialToHex } from './serial';

describe('newSerial (RFC 5280 §4.1.2.2)', () => {
  it('keeps 16 octets, positive, no sign pad, never shrinking', () => {
    for (const first of [0x00, 0x7f, 0x80, 0xff]) {
      const random = new Uint8Array(16).fill(0xaa);
      random[0] = first;
      const s = newSerial(random);
      expect(s.length).toBe(16);
      expect(s[0] & 0x80).toBe(0);
      expect(s[0] & 0x40).toBe(0x40);
      expect(derInteger(s).length).toBe(18); // 02 10 + 16 content octets
      expect(Array.from(s.subarray(1))).toEqual(Array.from(random.subarray(1)));
    }
  });
  it('does not modify its input', () => {
    const random = new Uint8Array(16).fill(0xff);
    newSerial(random);
    expect(random[0]).toBe(0xff);
  });
  it('rejects too little or too much randomness', () => {
    expect(() => newSerial(new Uint8Array(8))).toThrow(PkiError);
    expect(() => newSerial(new Uint8Array(21))).toThrow(PkiError);
  });
});

describe('serial hex', () => {
  it('strips pads and leading zeros', () => {
    expect(serialToHex(Uint8Array.of(0, 0x80, 1))).toBe('8001');
    expect(serialToHex(Uint8Array.of(0))).toBe('00');
    expect(serialFromHex('00:80:01')).toEqual(Uint8Array.of(0x80, 1));
    expect(serialFromHex('ABC')).toEqual(Uint8Array.of(0x0a, 0xbc));
    expect(() => serialFromHex('xyz')).toThrow(PkiError);
  });
});
