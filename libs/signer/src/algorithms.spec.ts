import { KEY_TYPES } from '@anchorage/contracts';
import { assertAlgorithmFits, digestOf, signatureAlgorithmFor } from './algorithms';
import { SignerError } from './errors';

describe('signatureAlgorithmFor', () => {
  it('maps every key type', () => {
    expect(KEY_TYPES.map(signatureAlgorithmFor)).toEqual([
      'sha256WithRSAEncryption',
      'sha256WithRSAEncryption',
      'sha256WithRSAEncryption',
      'ecdsaWithSHA256',
      'ecdsaWithSHA384',
    ]);
  });

  it('names the digest and refuses algorithms that do not fit the key', () => {
    expect(digestOf('ecdsaWithSHA384')).toBe('sha384');
    expect(() => assertAlgorithmFits('EC-P256', 'sha256WithRSAEncryption', 'soft:x')).toThrow(/EC-P256.*ecdsaWithSHA256/);
    expect(() => assertAlgorithmFits('EC-P384', 'ecdsaWithSHA256', 'soft:x')).toThrow(SignerError);
    expect(() => assertAlgorithmFits('RSA-2048', 'md5WithRSA' as never, 'soft:x')).toThrow(/unsupported signature algorithm/);
    expect(() => assertAlgorithmFits('RSA-3072', 'sha256WithRSAEncryption', 'soft:x')).not.toThrow();
  });
});
