import { PkiError } from './errors';
import { canonicalSanUri, checkSanUri, checkSanUris, sanRequiresHttps } from './san';

const expectSan = (fn: () => unknown, msg: RegExp | string) => {
  try {
    fn();
    throw new Error('expected a failure');
  } catch (e) {
    expect(e).toBeInstanceOf(PkiError);
    expect((e as PkiError).code).toBe('san-invalid');
    expect((e as Error).message).toMatch(msg);
  }
};

describe('canonicalSanUri', () => {
  it.each([
    ['HTTPS://Example.org:443/fhir', 'https://example.org/fhir'],
    ['http://Example.org:80/a', 'http://example.org/a'],
    ['https://example.org:8443/a', 'https://example.org:8443/a'],
    ['https://example.org:/a', 'https://example.org/a'],
    ['https://example.org:0443/a', 'https://example.org/a'],
    ['https://example.org', 'https://example.org'],
    ['https://example.org/', 'https://example.org/'],
    ['https://example.org/Path/%7eUser?Q=A#Frag', 'https://example.org/Path/%7eUser?Q=A#Frag'],
    ['URN:oid:1.2.3', 'urn:oid:1.2.3'],
    ['https://[2001:DB8::1]:443/x', 'https://[2001:db8::1]/x'],
  ])('%s -> %s', (input, want) => expect(canonicalSanUri(input)).toBe(want));
  it('does not silently add a trailing slash', () => expect(canonicalSanUri('https://x.org')).not.toBe('https://x.org/'));
  it('rejects relative references', () => expectSan(() => canonicalSanUri('/fhir'), /not an absolute URI/));
});

describe('checkSanUri', () => {
  it('accepts canonical https URIs, including TEFCA fragments', () => {
    expect(checkSanUri('https://fhir.example.org/r4', { requireHttps: true })).toBe('https://fhir.example.org/r4');
    expect(checkSanUri('https://app.example.org/client#T-TREAT', { requireHttps: true })).toBe('https://app.example.org/client#T-TREAT');
  });
  it('accepts http and URNs where https is not required', () => {
    expect(checkSanUri('http://app.example.org/c', { requireHttps: false })).toBeTruthy();
    expect(checkSanUri('urn:uuid:0b5c0f0e-4b9c-4c0e-9d3a-1c2b3d4e5f60', { requireHttps: false })).toBeTruthy();
  });
  it('names the canonical form when the input is not canonical', () => {
    expectSan(() => checkSanUri('HTTPS://Example.org:443/fhir', { requireHttps: true }), 'SAN URI "HTTPS://Example.org:443/fhir" is not canonical; use "https://example.org/fhir"');
  });
  it('requires https where asked', () => expectSan(() => checkSanUri('http://example.org/fhir', { requireHttps: true }), /must use https/));
  it('rejects userinfo', () => expectSan(() => checkSanUri('https://user:pw@example.org/', { requireHttps: true }), /userinfo/));
  it('rejects relative URIs', () => expectSan(() => checkSanUri('example.org/fhir', { requireHttps: false }), /absolute/));
  it('rejects whitespace', () => expectSan(() => checkSanUri('https://example.org/a b', { requireHttps: true }), /whitespace/));
  it('rejects non-ASCII', () => expectSan(() => checkSanUri('https://exämple.org/', { requireHttps: true }), /non-ASCII/));
  it('rejects over-long URIs', () => expectSan(() => checkSanUri(`https://example.org/${'a'.repeat(2048)}`, { requireHttps: true }), /longer than 2048/));
  it('rejects characters RFC 3986 forbids', () => expectSan(() => checkSanUri('https://example.org/<x>', { requireHttps: true }), /RFC 3986/));
  it('rejects broken percent-encoding', () => expectSan(() => checkSanUri('https://example.org/%zz', { requireHttps: true }), /percent/));
  it('rejects a missing host', () => expectSan(() => checkSanUri('https:///fhir', { requireHttps: true }), /no host/));
  it('rejects a bad port', () => expectSan(() => checkSanUri('https://example.org:99999/', { requireHttps: true }), /port/));
  it('rejects an empty string', () => expectSan(() => checkSanUri('', { requireHttps: false }), /empty/));
});

describe('checkSanUris / sanRequiresHttps', () => {
  it('requires at least one and no duplicates', () => {
    expectSan(() => checkSanUris([], { requireHttps: true }), /at least one/);
    expectSan(() => checkSanUris(['https://a.org/x', 'https://a.org/x'], { requireHttps: true }), /twice/);
    expect(checkSanUris(['https://a.org/x', 'https://a.org/x#T-TREAT'], { requireHttps: true })).toHaveLength(2);
  });
  it('requires https for servers, identity providers and certifiers only', () => {
    expect(sanRequiresHttps('udap-server')).toBe(true);
    expect(sanRequiresHttps('udap-idp')).toBe(true);
    expect(sanRequiresHttps('udap-certifier')).toBe(true);
    expect(sanRequiresHttps('udap-client')).toBe(false);
  });
});
