import { toHex } from './bytes';
import { algorithmIdentifierDer, keyAlgorithmFor, nodeHashFor, signatureAlgorithmFor, signatureAlgorithmFromOid } from './algorithms';

describe('algorithms', () => {
  it('maps key types to signature algorithms', () => {
    expect(signatureAlgorithmFor('RSA-2048')).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmFor('RSA-3072')).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmFor('RSA-4096')).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmFor('EC-P256')).toBe('ecdsaWithSHA256');
    expect(signatureAlgorithmFor('EC-P384')).toBe('ecdsaWithSHA384');
  });
  it('encodes RSA with explicit NULL parameters (RFC 4055 §5)', () => {
    expect(toHex(algorithmIdentifierDer('sha256WithRSAEncryption'))).toBe('300d06092a864886f70d01010b0500');
  });
  it('encodes ECDSA with absent parameters (RFC 5758 §3.2)', () => {
    expect(toHex(algorithmIdentifierDer('ecdsaWithSHA256'))).toBe('300a06082a8648ce3d040302');
    expect(toHex(algorithmIdentifierDer('ecdsaWithSHA384'))).toBe('300a06082a8648ce3d040303');
  });
  it('returns copies so callers cannot corrupt the constants', () => {
    algorithmIdentifierDer('ecdsaWithSHA256')[0] = 0;
    expect(algorithmIdentifierDer('ecdsaWithSHA256')[0]).toBe(0x30);
  });
  it('names the Node hash and key family', () => {
    expect(nodeHashFor('sha256WithRSAEncryption')).toBe('sha256');
    expect(nodeHashFor('ecdsaWithSHA256')).toBe('sha256');
    expect(nodeHashFor('ecdsaWithSHA384')).toBe('sha384');
    expect(keyAlgorithmFor('ecdsaWithSHA384')).toBe('EC');
    expect(keyAlgorithmFor('sha256WithRSAEncryption')).toBe('RSA');
  });
  it('maps OIDs back', () => {
    expect(signatureAlgorithmFromOid('1.2.840.10045.4.3.3')).toBe('ecdsaWithSHA384');
    expect(signatureAlgorithmFromOid('1.2.840.113549.1.1.5')).toBeNull();
  });
});
