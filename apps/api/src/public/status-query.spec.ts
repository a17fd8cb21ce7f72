import { parseStatusQuery } from './status-query';

describe('parseStatusQuery (GET /pki/communities/{id}/certifications/status)', () => {
  it('reads jti and exp in either order, percent-decoding the jti', () => {
    expect(parseStatusQuery('jti=abc&exp=1893456000')).toEqual({ jti: 'abc', exp: 1_893_456_000 });
    expect(parseStatusQuery('exp=1893456000&jti=a%2Fb+c')).toEqual({ jti: 'a/b c', exp: 1_893_456_000 });
  });
  it.each([
    ['', /jti is missing/],
    ['jti=abc', /exp is missing/],
    ['exp=1', /jti is missing/],
    ['jti=abc&exp=1&x=2', /got "x"/],
    ['jti=a&jti=b&exp=1', /"jti" twice/],
    ['jti=abc&exp=1&', /an empty parameter/],
    ['jti=&exp=1', /jti must be 1 to 256/],
    [`jti=${'x'.repeat(257)}&exp=1`, /jti must be 1 to 256/],
    ['jti=abc&exp=1.5', /whole number of seconds/],
    ['jti=abc&exp=-1', /whole number of seconds/],
    ['jti=abc&exp=1234567890123', /whole number of seconds/],
    ['jti=%E0%A4%A&exp=1', /percent-encoding/],
  ])('refuses %j', (query, message) => {
    const out = parseStatusQuery(query);
    expect(typeof out).toBe('string');
    expect(out).toMatch(message);
  });
});
