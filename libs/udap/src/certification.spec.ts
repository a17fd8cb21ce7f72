import { buildTestCommunity } from './testing/community';
import { certificationClaims } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { ExpectedClaims, Finding, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const DAY = 86_400;
const now = new Date();
const nowS = Math.floor(now.getTime() / 1000);
const CERTIFIER = 'https://certifier.example.org/certifications';
const APP = 'https://app.example.org/client';
const REGISTER = 'https://fhir.example.org/oauth/register';
const c = buildTestCommunity('certification', now);
// the certifier's certificate is valid for about 5 years from now
const certifier = c.issueLeaf({ label: 'certifier', sanUris: [CERTIFIER], notAfter: new Date((nowS + 5 * 365 * DAY) * 1000) });

const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const only = (r: UdapVerification): Pick<Finding, 'code' | 'claim'>[] => r.findings.map(({ code, claim }) => ({ code, claim }));

async function verify(claims: Record<string, unknown>, expected: ExpectedClaims = { sub: APP, aud: REGISTER }, leaf = certifier): Promise<UdapVerification> {
  const jwt = await signUdapJwt(claims, { alg: 'RS256' }, leaf.key.privateKey, c.x5c(leaf));
  return verifyUdapJwt(jwt, c.trust(), { kind: 'certification', now, expected });
}
const certification = (extra: Record<string, unknown> = {}) => certificationClaims(CERTIFIER, APP, now, extra);
const without = (name: string): Record<string, unknown> => Object.fromEntries(Object.entries(certification()).filter(([k]) => k !== name));

describe('certification (udap.org Certifications and Endorsements; UDAP STU2 §7.4.1)', () => {
  it('accepts a third-party certification of the app, with or without aud', async () => {
    expect((await verify(certification())).findings).toEqual([]);
    expect((await verify(certification({ aud: [REGISTER, 'https://other.example.org/register'] }))).findings).toEqual([]);
  });

  it('accepts a self-signed certification (iss = sub = the app)', async () => {
    const r = await verify(certificationClaims(APP, APP, now), { sub: APP }, c.chain.leaf);
    expect(r.findings).toEqual([]);
  });

  it('requires iss to be a SAN URI of the certifier and sub the certified app', async () => {
    expect(only(await verify(certificationClaims(APP, APP, now)))).toEqual([{ code: 'iss-not-in-san', claim: 'iss' }]);
    expect(only(await verify(certificationClaims(`${CERTIFIER}/`, APP, now)))).toEqual([{ code: 'iss-trailing-slash-mismatch', claim: 'iss' }]);
    expect(only(await verify(certification({ sub: 'https://other.example.org/app' })))).toEqual([{ code: 'sub-mismatch', claim: 'sub' }]);
    expect(only(await verify(certification({ aud: 'https://other.example.org/register' })))).toEqual([{ code: 'aud-mismatch', claim: 'aud' }]);
  });

  it('limits the lifetime to 3 years', async () => {
    const r = await verify(certification({ exp: nowS + 3 * 366 * DAY }));
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'lifetime-exceeded', section: 'UDAP STU2 §7.4.1' }));
    expect(errors(await verify(certification({ exp: nowS + 2 * 365 * DAY })))).toEqual([]);
  });

  it('refuses a certification that outlives the certifier certificate', async () => {
    const short = c.issueLeaf({ label: 'short-certifier', sanUris: [CERTIFIER], notAfter: new Date((nowS + 30 * DAY) * 1000) });
    const r = await verify(certification({ exp: nowS + 60 * DAY }), { sub: APP }, short);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'certification-outlives-certificate', section: 'udap.org Certifications and Endorsements §1', depth: 0 })]);
    expect((await verify(certification({ exp: nowS + 20 * DAY }), { sub: APP }, short)).valid).toBe(true);
  });

  it.each(['iss', 'sub', 'exp', 'iat', 'jti', 'certification_name', 'certification_uris'])('requires %s', async (name) => {
    const r = await verify(without(name), {});
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'claim-missing', claim: name }));
  });

  it('requires certification_uris to be an array of URIs', async () => {
    expect(errors(await verify(certification({ certification_uris: 'https://community.example.org/c' })))).toEqual(['certification-uris-invalid']);
    expect(errors(await verify(certification({ certification_uris: [] })))).toEqual(['certification-uris-invalid']);
    expect(errors(await verify(certification({ certification_uris: ['not a uri'] })))).toEqual(['certification-uris-invalid']);
  });
});
