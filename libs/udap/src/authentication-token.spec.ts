import { buildTestCommunity } from './testing/community';
import { authenticationTokenClaims, hl7B2b } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { ExpectedClaims, Finding, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const now = new Date();
const nowS = Math.floor(now.getTime() / 1000);
const CLIENT_URI = 'https://app.example.org/client';
const CLIENT_ID = 'c0a8f1e2-client-id';
const TOKEN = 'https://fhir.example.org/oauth/token';
const c = buildTestCommunity('authentication-token', now, { sanUris: [CLIENT_URI] });
const cc: ExpectedClaims = { iss: CLIENT_ID, sub: CLIENT_ID, aud: TOKEN, registeredSanUri: CLIENT_URI, grantType: 'client_credentials' };

const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const only = (r: UdapVerification): Pick<Finding, 'code' | 'claim'>[] => r.findings.map(({ code, claim }) => ({ code, claim }));

async function verify(claims: Record<string, unknown>, expected: ExpectedClaims = cc, leaf = c.chain.leaf, alg = 'RS256'): Promise<UdapVerification> {
  const jwt = await signUdapJwt(claims, { alg }, leaf.key.privateKey, c.x5c(leaf));
  return verifyUdapJwt(jwt, c.trust(), { kind: 'authentication-token', now, expected });
}
const token = (extra: Record<string, unknown> = {}) => authenticationTokenClaims(CLIENT_ID, TOKEN, now, extra);
const b2b = (extra: Record<string, unknown>) => token({ extensions: { 'hl7-b2b': hl7B2b(extra) } });
const without = (name: string): Record<string, unknown> => Object.fromEntries(Object.entries(token()).filter(([k]) => k !== name));

describe('authentication token (UDAP STU2 §5.2.1)', () => {
  it('accepts a client credentials token with hl7-b2b, and an authorization code token without', async () => {
    expect((await verify(token())).findings).toEqual([]);
    expect((await verify(without('extensions'), { ...cc, grantType: 'authorization_code' })).findings).toEqual([]);
  });

  it('accepts ES256 from a P-256 client certificate', async () => {
    const ec = c.issueLeaf({ label: 'ec-client', keyType: 'EC-P256', sanUris: [CLIENT_URI] });
    expect((await verify(token(), cc, ec, 'ES256')).findings).toEqual([]);
  });

  it('takes iss as the client_id, not a SAN URI, but checks the SAN URI the client registered with', async () => {
    const r = await verify(token(), { ...cc, registeredSanUri: 'https://other.example.org/app' });
    expect(errors(r)).toEqual(['registered-san-not-in-certificate']);
    expect(r.findings[0].section).toBe('udap.org JWT Client Auth §6.3');
  });

  it('requires iss = sub = the client_id and the token endpoint as aud', async () => {
    expect(errors(await verify(token({ sub: 'someone-else' }), { ...cc, sub: undefined }))).toEqual(['sub-not-iss']);
    expect(errors(await verify(authenticationTokenClaims('other-client', TOKEN, now)))).toEqual(['iss-mismatch', 'sub-mismatch']);
    expect(only(await verify(token({ aud: 'https://fhir.example.org/oauth/register' })))).toEqual([{ code: 'aud-mismatch', claim: 'aud' }]);
  });

  it('limits the lifetime to 5 minutes', async () => {
    const r = await verify(token({ exp: nowS + 301 }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'lifetime-exceeded', section: 'UDAP STU2 §5.2.1' })]);
    expect(errors(await verify(token({ iat: nowS - 400, exp: nowS - 100 })))).toEqual(['jwt-expired']);
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'iat', 'jti'])('requires %s', async (name) => {
    const r = await verify(without(name), {});
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'claim-missing', claim: name }));
  });

  it('requires hl7-b2b for the client credentials grant and expects it omitted for authorization code', async () => {
    const missing = await verify(without('extensions'));
    expect(only(missing)).toEqual([{ code: 'b2b-extension-missing', claim: 'extensions.hl7-b2b' }]);
    expect(errors(await verify(token({ extensions: {} })))).toEqual(['b2b-extension-missing']);
    const unexpected = await verify(token(), { ...cc, grantType: 'authorization_code' });
    expect(unexpected.valid).toBe(true);
    expect(only(unexpected)).toEqual([{ code: 'b2b-extension-unexpected', claim: 'extensions.hl7-b2b' }]);
    expect(errors(await verify(token({ extensions: 'hl7-b2b' })))).toEqual(['claim-invalid']);
  });

  it('checks the hl7-b2b object (UDAP STU2 §5.2.1.1): version "1", organization_id, purpose_of_use', async () => {
    const v = await verify(b2b({ version: 1 }));
    expect(v.findings).toEqual([expect.objectContaining({ code: 'b2b-version', section: 'UDAP STU2 §5.2.1.1', claim: 'extensions.hl7-b2b.version' })]);
    expect(errors(await verify(b2b({ organization_id: undefined })))).toEqual(['b2b-organization-id']);
    expect(errors(await verify(b2b({ organization_id: 'Member Org' })))).toEqual(['b2b-organization-id']);
    expect(errors(await verify(b2b({ purpose_of_use: undefined })))).toEqual(['b2b-purpose-of-use']);
    expect(errors(await verify(b2b({ purpose_of_use: 'TREAT' })))).toEqual(['b2b-purpose-of-use']);
    expect(errors(await verify(b2b({ purpose_of_use: [] })))).toEqual(['b2b-purpose-of-use']);
    expect(errors(await verify(token({ extensions: { 'hl7-b2b': ['1'] } })))).toEqual(['b2b-claim-invalid']);
  });

  it('accepts the optional hl7-b2b keys and checks their types', async () => {
    const full = b2b({
      subject_name: 'Dr. B. Able', subject_id: 'urn:oid:2.16.840.1.113883.4.6#1234567890', subject_role: 'http://nucc.org/provider-taxonomy#207Q00000X',
      consent_policy: ['https://consent.example.org/policy/A'], consent_reference: ['https://fhir.example.org/r4/Consent/1'],
    });
    expect((await verify(full)).findings).toEqual([]);
    expect(errors(await verify(b2b({ organization_name: 7 })))).toEqual(['b2b-claim-invalid']);
    expect(errors(await verify(b2b({ consent_policy: ['not a uri'] })))).toEqual(['b2b-claim-invalid']);
    expect(errors(await verify(b2b({ consent_reference: ['https://fhir.example.org/r4/Consent/1'] })))).toEqual(['b2b-consent-reference-without-policy']);
  });
});
