import { buildTestCommunity } from './testing/community';
import { signedMetadataClaims } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { ExpectedClaims, Finding, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const now = new Date();
const nowS = Math.floor(now.getTime() / 1000);
const BASE = 'https://fhir.example.org/r4';
const c = buildTestCommunity('signed-metadata', now);
const server = c.issueLeaf({ label: 'server', profile: 'udap-server', sanUris: [BASE] });

const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const only = (r: UdapVerification): Pick<Finding, 'code' | 'claim'>[] => r.findings.map(({ code, claim }) => ({ code, claim }));

async function verify(claims: Record<string, unknown>, expected: ExpectedClaims = { iss: BASE }): Promise<UdapVerification> {
  const jwt = await signUdapJwt(claims, { alg: 'RS256' }, server.key.privateKey, c.x5c(server));
  return verifyUdapJwt(jwt, c.trust(), { kind: 'signed-metadata', now, expected });
}
const metadata = (extra: Record<string, unknown> = {}) => signedMetadataClaims(BASE, now, extra);
const without = (name: string): Record<string, unknown> => Object.fromEntries(Object.entries(metadata()).filter(([k]) => k !== name));

describe('signed metadata (UDAP STU2 §2.3)', () => {
  it('accepts signed metadata of the server at its base URL', async () => {
    const r = await verify(metadata());
    expect(r.findings).toEqual([]);
    expect(r.chain).toHaveLength(3);
  });

  it('requires iss to be the FHIR base URL the metadata came from, and a SAN URI', async () => {
    const elsewhere = await verify(metadata(), { iss: 'https://other.example.org/fhir' });
    expect(only(elsewhere)).toEqual([{ code: 'iss-mismatch', claim: 'iss' }]);
    expect(elsewhere.findings[0].section).toBe('UDAP STU2 §2.3');
    const slash = await verify(signedMetadataClaims(`${BASE}/`, now), { iss: `${BASE}/` });
    expect(only(slash)).toEqual([{ code: 'iss-trailing-slash-mismatch', claim: 'iss' }]);
    expect(errors(await verify(metadata({ sub: `${BASE}/other` })))).toEqual(['sub-not-iss']);
  });

  it('warns when no base URL is given to compare iss with', async () => {
    const r = await verify(metadata(), {});
    expect(r.valid).toBe(true);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'base-url-not-checked', severity: 'warning' })]);
  });

  it('allows a lifetime of one year, not more', async () => {
    const iat = Date.UTC(2025, 2, 1) / 1000; // a year without 29 February: 365 days
    const early = new Date(iat * 1000 + 1000);
    const at = async (claims: Record<string, unknown>) => verifyUdapJwt(
      await signUdapJwt(claims, { alg: 'RS256' }, server.key.privateKey, c.x5c(server)), c.trust(), { kind: 'signed-metadata', now: early, expected: { iss: BASE } },
    );
    const year = await at(metadata({ iat, exp: iat + 365 * 86_400 }));
    expect(year.findings.filter((f) => f.code === 'lifetime-exceeded')).toEqual([]);
    const more = await at(metadata({ iat, exp: iat + 365 * 86_400 + 1 }));
    expect(more.findings).toContainEqual(expect.objectContaining({ code: 'lifetime-exceeded', section: 'UDAP STU2 §2.3' }));
    expect(errors(await verify(metadata({ exp: nowS + 2 * 365 * 86_400 })))).toEqual(['lifetime-exceeded']);
  });

  it.each(['iss', 'sub', 'exp', 'iat', 'jti', 'token_endpoint', 'registration_endpoint'])('requires %s', async (name) => {
    const r = await verify(without(name));
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'claim-missing', claim: name }));
  });

  it('requires authorization_endpoint only when the unsigned metadata has one', async () => {
    expect((await verify(without('authorization_endpoint'))).valid).toBe(true);
    const unsignedMetadata = { authorization_endpoint: `${BASE}/oauth/authorize`, token_endpoint: `${BASE}/oauth/token` };
    const r = await verify(without('authorization_endpoint'), { iss: BASE, unsignedMetadata });
    expect(only(r)).toEqual([{ code: 'claim-missing', claim: 'authorization_endpoint' }]);
  });

  it('requires absolute endpoint URLs that match the unsigned metadata', async () => {
    expect(errors(await verify(metadata({ token_endpoint: '/oauth/token' })))).toEqual(['claim-invalid']);
    const unsignedMetadata = { token_endpoint: 'https://evil.example.org/token', registration_endpoint: `${BASE}/oauth/register` };
    const r = await verify(metadata(), { iss: BASE, unsignedMetadata });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'metadata-endpoint-mismatch', claim: 'token_endpoint', section: 'udap.org Server Metadata §3.4' })]);
  });
});
