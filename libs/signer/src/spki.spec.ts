import { generateKeyPairSync } from 'node:crypto';
import { opensslPublicKeyText } from './testing/openssl';
import { curveFromOidDer, CURVE_OID_DER, ecSpki, rsaSpki } from './spki';

describe('SubjectPublicKeyInfo builders', () => {
  it('builds the same RSA SPKI as Node, which OpenSSL parses', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const jwk = publicKey.export({ format: 'jwk' });
    const spki = rsaSpki(Buffer.from(jwk.n!, 'base64url'), Buffer.from(jwk.e!, 'base64url'));
    expect(spki.equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(opensslPublicKeyText(spki)).toMatch(/Public-Key: \(2048 bit\)/);
  });

  it.each([
    ['P-256', 'prime256v1'],
    ['P-384', 'secp384r1'],
  ] as const)('builds the same EC SPKI as Node for %s', (curve, opensslName) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const spki = ecSpki(curve, point);
    expect(spki.equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(opensslPublicKeyText(spki)).toContain(opensslName);
  });

  it('maps CKA_EC_PARAMS back to curves', () => {
    expect(curveFromOidDer(CURVE_OID_DER['P-256'])).toBe('P-256');
    expect(curveFromOidDer(CURVE_OID_DER['P-384'])).toBe('P-384');
    expect(curveFromOidDer(Buffer.from('06052b81040023', 'hex'))).toBeUndefined(); // P-521
  });
});
