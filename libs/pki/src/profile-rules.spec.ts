import { KEY_TYPES, keyAlgorithmOf, LEAF_PROFILE_RULES, LEAF_PROFILES, type LeafProfile, type LeafProfileRules } from '@anchorage/contracts';
import { buildLeafTbs } from './certificate-templates';
import { PkiError } from './errors';
import { KeyUsageBit } from './extensions';
import { describePublicKey } from './keys';
import { lintTbsCertificate } from './lint';
import { encodeName } from './names';
import { compileLeafProfile, isCheckedSanUris, leafProfileChecks, sanUrisFor } from './profile-rules';
import { testKey, testSerial } from './testing/test-ca';

const failure = (fn: () => unknown): PkiError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof PkiError) return e;
    throw e;
  }
  throw new Error('expected a PkiError');
};
const desc = (k: (typeof KEY_TYPES)[number]) => describePublicKey(testKey(k).spkiDer);
/** A copy of a profile's record with some rules changed. */
const variant = (profile: LeafProfile, change: Partial<LeafProfileRules>): LeafProfileRules => ({ ...LEAF_PROFILE_RULES[profile], ...change });

describe('compileLeafProfile: the record', () => {
  it('compiles every record of the table', () => {
    for (const profile of LEAF_PROFILES) expect(leafProfileChecks(profile).rules).toBe(LEAF_PROFILE_RULES[profile]);
  });
  it('refuses records the checks cannot express', () => {
    expect(failure(() => compileLeafProfile('udap-client', variant('udap-client', { keyAlgorithms: ['EC'] }))).message).toMatch(/must include RSA/);
    expect(failure(() => compileLeafProfile('udap-client', variant('udap-client', { san: { minUris: 0, requireHttps: false } }))).message).toMatch(/minUris/);
    expect(failure(() => compileLeafProfile('udap-client', variant('udap-client', { keyUsage: [] }))).code).toBe('validation');
  });
  it('turns keyUsage names into bits', () => {
    expect(leafProfileChecks('udap-server').keyUsageBits).toEqual([KeyUsageBit.digitalSignature]);
    expect(compileLeafProfile('udap-server', variant('udap-server', { keyUsage: ['digitalSignature', 'keyEncipherment'] })).keyUsageBits).toEqual([0, 2]);
  });
});

describe('checkKey', () => {
  it('accepts exactly the key types of the algorithms the table gives each profile', () => {
    for (const profile of LEAF_PROFILES) {
      for (const k of KEY_TYPES) {
        const accepts = LEAF_PROFILE_RULES[profile].keyAlgorithms.includes(keyAlgorithmOf(k));
        const check = () => leafProfileChecks(profile).checkKey(desc(k), KEY_TYPES);
        if (accepts) expect(check()).toBe(k);
        else expect(failure(check).code).toBe('key-policy');
      }
    }
  });
  it('refuses EC for servers, identity providers and certifiers, which sign RS256', () => {
    for (const profile of ['udap-server', 'udap-idp', 'udap-certifier'] as const) {
      expect(failure(() => leafProfileChecks(profile).checkKey(desc('EC-P256'), KEY_TYPES)).message).toMatch(/requires an RSA key/);
    }
    expect(leafProfileChecks('udap-client').checkKey(desc('EC-P256'), KEY_TYPES)).toBe('EC-P256');
  });
  it('follows a changed record', () => {
    const rsaOnlyClient = compileLeafProfile('udap-client', variant('udap-client', { keyAlgorithms: ['RSA'] }));
    expect(failure(() => rsaOnlyClient.checkKey(desc('EC-P256'), KEY_TYPES)).message).toMatch(/requires an RSA key/);
    const ecServer = compileLeafProfile('udap-server', variant('udap-server', { keyAlgorithms: ['RSA', 'EC'] }));
    expect(ecServer.checkKey(desc('EC-P384'), KEY_TYPES)).toBe('EC-P384');
  });
  it('still applies the community\'s allowed types', () => {
    expect(failure(() => leafProfileChecks('udap-client').checkKey(desc('EC-P256'), ['RSA-2048'])).message).toMatch(/EC-P256 is not allowed/);
  });
});

describe('keyAlgorithmProblem', () => {
  it('names the algorithms the profile needs', () => {
    expect(leafProfileChecks('udap-idp').keyAlgorithmProblem(desc('EC-P256'))).toMatch(/^udap-idp keys must be RSA/);
    expect(leafProfileChecks('udap-idp').keyAlgorithmProblem(desc('RSA-2048'))).toBeNull();
    expect(leafProfileChecks('udap-client').keyAlgorithmProblem(desc('EC-P256'))).toBeNull();
    expect(compileLeafProfile('udap-client', variant('udap-client', { keyAlgorithms: ['RSA'] })).keyAlgorithmProblem(desc('EC-P256'))).toMatch(/must be RSA/);
  });
});

describe('sanUriProblem and sanCountProblem', () => {
  it('require https exactly where the table says so', () => {
    for (const profile of LEAF_PROFILES) {
      const problem = leafProfileChecks(profile).sanUriProblem('http://app.example.org/c');
      if (LEAF_PROFILE_RULES[profile].san.requireHttps) expect(problem).toMatch(/must use https/);
      else expect(problem).toBeNull();
    }
  });
  it('apply the URI rules every profile shares', () => {
    expect(leafProfileChecks('udap-client').sanUriProblem('HTTPS://App.example.org/c')).toMatch(/use "https:\/\/app.example.org\/c"/);
    expect(leafProfileChecks('udap-client').sanUriProblem('urn:uuid:0b5c0f0e-4b9c-4c0e-9d3a-1c2b3d4e5f60')).toBeNull();
  });
  it('follow a changed record', () => {
    const plainServer = compileLeafProfile('udap-server', variant('udap-server', { san: { minUris: 2, requireHttps: false } }));
    expect(plainServer.sanUriProblem('http://fhir.example.org/r4')).toBeNull();
    expect(plainServer.sanCountProblem(1)).toBe('at least 2 SAN URIs are required');
    expect(leafProfileChecks('udap-server').sanCountProblem(0)).toBe('at least one SAN URI is required');
    expect(leafProfileChecks('udap-server').sanCountProblem(1)).toBeNull();
  });
});

describe('reviewSanUris', () => {
  const server = leafProfileChecks('udap-server');
  it('reports every problem in order, `also` only for URIs that pass the rules', () => {
    const also = (uri: string) => (uri.includes('other') ? `${uri} is elsewhere` : null);
    const review = server.reviewSanUris(['http://a.example.org/x', 'https://other.example.org/y', 'https://a.example.org/z'], also);
    expect(review.checked).toBeNull();
    expect(review.problems).toEqual(['SAN URI "http://a.example.org/x" must use https', 'https://other.example.org/y is elsewhere']);
    expect(server.reviewSanUris([]).problems).toEqual(['at least one SAN URI is required']);
  });
  it('returns the distinct URIs, checked and frozen', () => {
    const { checked } = server.reviewSanUris(['https://a.example.org/x', 'https://a.example.org/x#T-TREAT', 'https://a.example.org/x']);
    expect(checked?.uris).toEqual(['https://a.example.org/x', 'https://a.example.org/x#T-TREAT']);
    expect(Object.isFrozen(checked) && Object.isFrozen(checked?.uris)).toBe(true);
    expect(isCheckedSanUris(checked, 'udap-server')).toBe(true);
    expect(isCheckedSanUris(checked, 'udap-client')).toBe(false);
  });
});

describe('checkSanUris', () => {
  it('refuses too few, invalid or repeated URIs with san-invalid', () => {
    const client = leafProfileChecks('udap-client');
    expect(failure(() => client.checkSanUris([])).message).toBe('at least one SAN URI is required');
    expect(failure(() => client.checkSanUris(['https://a.org/x', 'https://a.org/x'])).message).toMatch(/twice/);
    expect(failure(() => leafProfileChecks('udap-idp').checkSanUris(['http://a.org/x'])).code).toBe('san-invalid');
    // a certifier's iss is an https URI (udap.org Certifications and Endorsements)
    expect(failure(() => leafProfileChecks('udap-certifier').checkSanUris(['http://a.org/x'])).code).toBe('san-invalid');
    expect(leafProfileChecks('udap-certifier').checkSanUris(['https://certifier.example.org/c']).uris).toEqual(['https://certifier.example.org/c']);
    expect(client.checkSanUris(['http://a.org/x']).uris).toEqual(['http://a.org/x']);
  });
});

describe('isCheckedSanUris and sanUrisFor', () => {
  it('trust only lists checked against the table\'s own record', () => {
    const copy = compileLeafProfile('udap-server', variant('udap-server', { san: { minUris: 1, requireHttps: false } }));
    const looser = copy.checkSanUris(['http://fhir.example.org/r4']);
    expect(isCheckedSanUris(looser, 'udap-server')).toBe(false);
    expect(isCheckedSanUris({ profile: 'udap-server', rules: LEAF_PROFILE_RULES['udap-server'], uris: ['http://x.org'] }, 'udap-server')).toBe(false);
    expect(failure(() => sanUrisFor('udap-server', looser)).message).toMatch(/must use https/);
  });
  it('take a checked list as it is and check a plain one', () => {
    const checked = leafProfileChecks('udap-server').checkSanUris(['https://fhir.example.org/r4']);
    expect(sanUrisFor('udap-server', checked)).toBe(checked.uris);
    expect(failure(() => sanUrisFor('udap-server', ['http://fhir.example.org/r4'])).message).toMatch(/must use https/);
  });
});

describe('one SAN check per issuance: the template and the lint take the checked list', () => {
  const issuerKey = testKey('RSA-2048', 'rules-issuer');
  const issuer = encodeName({ commonName: 'Rules Issuing CA', organization: 'Anchorage' });
  const leaf = (sanUris: Parameters<typeof buildLeafTbs>[0]['sanUris']) => buildLeafTbs({
    profile: 'udap-server', serial: testSerial(9), subject: encodeName({ commonName: 'fhir.example.org', organization: 'Member' }), issuer,
    spkiDer: testKey('RSA-2048', 'rules-leaf').spkiDer, issuerSpkiDer: issuerKey.spkiDer, notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'), signatureAlgorithm: 'sha256WithRSAEncryption', sanUris,
    crlUrl: 'http://pki.example.test/issuing.crl', caIssuersUrl: 'http://pki.example.test/issuing.cer',
  });
  const ctx = { issuerSpkiDer: issuerKey.spkiDer };
  const checked = leafProfileChecks('udap-server').checkSanUris(['https://fhir.example.org/r4']);

  it('lints clean when the TBS carries exactly the checked URIs', () => {
    expect(lintTbsCertificate(leaf(checked), 'udap-server', { ...ctx, checkedSanUris: checked })).toEqual([]);
  });
  it('flags a TBS whose SAN differs from what issuance checked', () => {
    const other = leafProfileChecks('udap-server').checkSanUris(['https://fhir.example.org/r5']);
    expect(lintTbsCertificate(leaf(checked), 'udap-server', { ...ctx, checkedSanUris: other })).toEqual([
      'subject-alt-name: subjectAltName does not list exactly the URIs checked for this issuance',
    ]);
  });
  it('checks the URIs itself without a checked list', () => {
    const looser = compileLeafProfile('udap-server', variant('udap-server', { san: { minUris: 1, requireHttps: false } })).checkSanUris(['http://fhir.example.org/r4']);
    expect(() => leaf(looser)).toThrow(/must use https/);
    expect(lintTbsCertificate(leaf(checked), 'udap-server', ctx)).toEqual([]);
  });
});
