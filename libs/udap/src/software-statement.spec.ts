import { buildTestCommunity } from './testing/community';
import { AUTHORIZATION_CODE_REGISTRATION, softwareStatementClaims } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { Finding, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const now = new Date();
const nowS = Math.floor(now.getTime() / 1000);
const CLIENT = 'https://app.example.org/client';
const REGISTER = 'https://fhir.example.org/oauth/register';
const c = buildTestCommunity('software-statement', now, { sanUris: [CLIENT, 'urn:example:app#T-TREAT'] });

const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const only = (r: UdapVerification): Pick<Finding, 'code' | 'claim'>[] => r.findings.map(({ code, claim }) => ({ code, claim }));

async function verify(claims: Record<string, unknown>, expected = { aud: REGISTER }): Promise<UdapVerification> {
  const jwt = await signUdapJwt(claims, { alg: 'RS256' }, c.chain.leaf.key.privateKey, c.x5c(c.chain.leaf));
  return verifyUdapJwt(jwt, c.trust(), { kind: 'software-statement', now, expected });
}
const statement = (extra: Record<string, unknown> = {}) => softwareStatementClaims(CLIENT, REGISTER, now, extra);
const without = (name: string, base = statement()): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));

describe('software statement (UDAP STU2 §3.1)', () => {
  it('accepts a client_credentials and an authorization_code statement', async () => {
    expect((await verify(statement())).findings).toEqual([]);
    expect((await verify(statement(AUTHORIZATION_CODE_REGISTRATION))).findings).toEqual([]);
  });

  it('accepts any SAN URI of the certificate as iss, exactly as encoded', async () => {
    const iss = 'urn:example:app#T-TREAT';
    expect((await verify(softwareStatementClaims(iss, REGISTER, now))).findings).toEqual([]);
  });

  it('refuses an iss that is not a SAN URI, and one off by a trailing slash with its own code', async () => {
    const other = await verify(softwareStatementClaims('https://evil.example.org/client', REGISTER, now));
    expect(only(other)).toEqual([{ code: 'iss-not-in-san', claim: 'iss' }]);
    expect(other.findings[0]).toMatchObject({ section: 'UDAP STU2 §3.1', depth: 0 });
    const slash = await verify(softwareStatementClaims(`${CLIENT}/`, REGISTER, now));
    expect(only(slash)).toEqual([{ code: 'iss-trailing-slash-mismatch', claim: 'iss' }]);
    const caseOnly = await verify(softwareStatementClaims(CLIENT.toUpperCase(), REGISTER, now));
    expect(errors(caseOnly)).toEqual(['iss-not-in-san']);
  });

  it('requires sub = iss and the registration endpoint as aud', async () => {
    expect(only(await verify(statement({ sub: 'https://other.example.org' })))).toEqual([{ code: 'sub-not-iss', claim: 'sub' }]);
    const aud = await verify(statement({ aud: 'https://other.example.org/register' }));
    expect(only(aud)).toEqual([{ code: 'aud-mismatch', claim: 'aud' }]);
    expect(aud.findings[0].section).toBe('udap.org DCR §4.3');
    expect((await verify(statement({ aud: ['https://x.example.org', REGISTER] }))).valid).toBe(true);
    expect(errors(await verify(statement({ aud: 42 })))).toEqual(['claim-invalid']);
  });

  it('limits the lifetime to 5 minutes and refuses expired or future statements', async () => {
    const tooLong = await verify(statement({ exp: nowS + 301 }));
    expect(only(tooLong)).toEqual([{ code: 'lifetime-exceeded', claim: 'exp' }]);
    expect(tooLong.findings[0].message).toMatch(/5 minutes/);
    expect(errors(await verify(statement({ iat: nowS - 600, exp: nowS - 300 })))).toEqual(['jwt-expired']);
    expect(errors(await verify(statement({ iat: nowS + 120, exp: nowS + 300 })))).toEqual(['iat-in-future']);
    expect((await verify(statement({ iat: nowS + 30, exp: nowS + 300 }))).valid).toBe(true); // within the clock skew
    expect(errors(await verify(statement({ iat: nowS, exp: nowS - 1 })))).toEqual(['jwt-expired', 'exp-before-iat']);
    expect(errors(await verify(statement({ exp: String(nowS + 60) })))).toEqual(['claim-invalid']);
    const fraction = await verify(statement({ exp: nowS + 60.5 }));
    expect(fraction.valid).toBe(true);
    expect(only(fraction)).toEqual([{ code: 'claim-not-integer', claim: 'exp' }]);
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_name', 'grant_types', 'token_endpoint_auth_method', 'scope', 'contacts'])(
    'requires %s',
    async (name) => {
      const r = await verify(without(name));
      expect(r.valid).toBe(false);
      expect(r.findings).toContainEqual(expect.objectContaining({ code: 'claim-missing', claim: name }));
    },
  );

  it.each(['redirect_uris', 'logo_uri'])('requires %s for authorization_code', async (name) => {
    const r = await verify(without(name, statement(AUTHORIZATION_CODE_REGISTRATION)));
    expect(only(r)).toEqual([{ code: 'claim-missing', claim: name }]);
  });

  it('checks grant_types', async () => {
    expect(errors(await verify(statement({ grant_types: ['authorization_code', 'client_credentials'], ...without('grant_types', AUTHORIZATION_CODE_REGISTRATION) }))))
      .toEqual(['grant-types-invalid']);
    expect(errors(await verify(statement({ grant_types: ['client_credentials', 'refresh_token'] })))).toEqual(['grant-types-invalid']);
    expect(errors(await verify(statement({ grant_types: ['client_credentials', 'password'] })))).toEqual(['grant-types-invalid']);
    expect(errors(await verify(statement({ grant_types: 'client_credentials' })))).toEqual(['grant-types-invalid']);
    // an empty array asks to cancel the registration
    expect((await verify(statement({ grant_types: [] }))).valid).toBe(true);
  });

  it('checks redirect_uris, response_types and logo_uri against the grant', async () => {
    const code = (extra: Record<string, unknown>) => statement({ ...AUTHORIZATION_CODE_REGISTRATION, ...extra });
    expect(errors(await verify(code({ redirect_uris: ['http://app.example.org/redirect'] })))).toEqual(['redirect-uris-invalid']);
    expect(errors(await verify(code({ redirect_uris: [] })))).toEqual(['redirect-uris-invalid']);
    expect(errors(await verify(code({ response_types: ['token'] })))).toEqual(['response-types-invalid']);
    expect(errors(await verify(without('response_types', code({}))))).toEqual(['response-types-invalid']);
    expect(errors(await verify(code({ logo_uri: 'http://app.example.org/logo.png' })))).toEqual(['logo-uri-invalid']);
    const svg = await verify(code({ logo_uri: 'https://app.example.org/logo.svg' }));
    expect(svg.valid).toBe(true);
    expect(only(svg)).toEqual([{ code: 'logo-uri-format', claim: 'logo_uri' }]);
    expect(errors(await verify(statement({ redirect_uris: ['https://app.example.org/r'] })))).toEqual(['redirect-uris-invalid']);
    expect(errors(await verify(statement({ response_types: ['code'] })))).toEqual(['response-types-invalid']);
  });

  it('checks contacts and token_endpoint_auth_method', async () => {
    expect(errors(await verify(statement({ contacts: ['https://app.example.org/support'] })))).toEqual(['contacts-invalid']);
    expect(errors(await verify(statement({ contacts: 'mailto:ops@example.org' })))).toEqual(['contacts-invalid']);
    expect((await verify(statement({ contacts: ['https://app.example.org/support', 'mailto:ops@example.org'] }))).valid).toBe(true);
    expect(only(await verify(statement({ token_endpoint_auth_method: 'client_secret_basic' }))))
      .toEqual([{ code: 'token-endpoint-auth-method', claim: 'token_endpoint_auth_method' }]);
  });

  it('collects independent findings instead of stopping at the first', async () => {
    const r = await verify(statement({ sub: 'x:y', exp: nowS + 3600, token_endpoint_auth_method: 'none', contacts: [] }));
    expect(errors(r)).toEqual(['sub-not-iss', 'lifetime-exceeded', 'contacts-invalid', 'token-endpoint-auth-method']);
  });
});
