// The wizard's key choices come from the profile table the API enforces (LEAF_PROFILE_RULES).
import { KEY_TYPES, keyAlgorithmOf, LEAF_PROFILE_RULES, LEAF_PROFILES } from '@anchorage/contracts';
import { generatableKeyTypes } from './keys';

describe('generatableKeyTypes', () => {
  it('offers every allowed key type of the algorithms the table gives each profile, and no other', () => {
    for (const profile of LEAF_PROFILES) {
      const offered = generatableKeyTypes(profile, KEY_TYPES);
      const expected = KEY_TYPES.filter((k) => LEAF_PROFILE_RULES[profile].keyAlgorithms.includes(keyAlgorithmOf(k)));
      expect([...offered].sort()).toEqual([...expected].sort());
    }
  });
  it('puts RSA-2048 first and keeps to the community\'s allowed types', () => {
    expect(generatableKeyTypes('udap-client', KEY_TYPES)).toEqual(['RSA-2048', 'EC-P256', 'RSA-3072', 'EC-P384', 'RSA-4096']);
    expect(generatableKeyTypes('udap-server', KEY_TYPES)).toEqual(['RSA-2048', 'RSA-3072', 'RSA-4096']);
    expect(generatableKeyTypes('udap-client', ['EC-P384', 'RSA-4096'])).toEqual(['EC-P384', 'RSA-4096']);
    expect(generatableKeyTypes('udap-idp', ['EC-P256'])).toEqual([]);
    // a certifier signs RS256 certifications: RSA only, even where the community allows EC
    expect(generatableKeyTypes('udap-certifier', KEY_TYPES)).toEqual(['RSA-2048', 'RSA-3072', 'RSA-4096']);
    expect(generatableKeyTypes('udap-certifier', ['EC-P256'])).toEqual([]);
  });
  it('follows a changed table', () => {
    const ecServer = { ...LEAF_PROFILE_RULES, 'udap-server': { ...LEAF_PROFILE_RULES['udap-server'], keyAlgorithms: ['RSA', 'EC'] as const } };
    expect(generatableKeyTypes('udap-server', ['EC-P256'], ecServer)).toEqual(['EC-P256']);
    const rsaClient = { ...LEAF_PROFILE_RULES, 'udap-client': { ...LEAF_PROFILE_RULES['udap-client'], keyAlgorithms: ['RSA'] as const } };
    expect(generatableKeyTypes('udap-client', KEY_TYPES, rsaClient)).toEqual(['RSA-2048', 'RSA-3072', 'RSA-4096']);
  });
});
