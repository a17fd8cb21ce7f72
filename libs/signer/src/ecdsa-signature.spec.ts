import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { derReadTlv } from './der';
import { ecdsaRawToDer } from './ecdsa-signature';
import { SignerError } from './errors';

describe('ecdsaRawToDer', () => {
  it.each([
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
  ])('turns Node IEEE P1363 signatures on %s into DER that Node verifies', (namedCurve, digest) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 40; i++) {
      const data = Buffer.from(`message ${i}`);
      const raw = sign(digest, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaRawToDer(raw);
      expect(verify(digest, data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    }
  });

  it('pads high-bit integers with 0x00 and strips leading zeros (X.690 §8.3.2)', () => {
    const raw = Buffer.concat([Buffer.from([0x80, ...Array(31).fill(1)]), Buffer.from([0, 0, 0x7f, ...Array(29).fill(2)])]);
    const der = ecdsaRawToDer(raw);
    const seq = derReadTlv(der);
    expect(seq.tag).toBe(0x30);
    const r = derReadTlv(seq.content);
    const s = derReadTlv(seq.content.subarray(r.length));
    expect(r.content.length).toBe(33);
    expect(r.content[0]).toBe(0);
    expect(s.content.length).toBe(30);
    expect(s.content[0]).toBe(0x7f);
    expect(createHash('sha256').update(der).digest('hex')).toHaveLength(64);
  });

  it('encodes an all-zero half as INTEGER 0', () => {
    expect(ecdsaRawToDer(Buffer.alloc(64)).toString('hex')).toBe('3006020100020100');
  });

  it('rejects odd-length input', () => {
    expect(() => ecdsaRawToDer(Buffer.alloc(63))).toThrow(SignerError);
  });
});
