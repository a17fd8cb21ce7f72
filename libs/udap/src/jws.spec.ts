import { createHmac } from 'node:crypto';
import { x5c } from '@anchorage/pki';
import { testKey } from '@anchorage/pki/testing';
import { buildTestCommunity } from './testing/community';
import { signedMetadataClaims, softwareStatementClaims } from './testing/claims';
import { forgeUdapJwt, signUdapJwt } from './testing/sign-udap-jwt';
import type { UdapJwtKind, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const now = new Date();
const CLIENT = 'https://app.example.org/client';
const REGISTER = 'https://fhir.example.org/oauth/register';
const c = buildTestCommunity('jws', now);
const chainX5c = c.x5c(c.chain.leaf);
const claims = softwareStatementClaims(CLIENT, REGISTER, now);

const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const verify = (jwt: string, kind: UdapJwtKind = 'software-statement') => verifyUdapJwt(jwt, c.trust(), { kind, now, expected: { aud: REGISTER } });

describe('the JWS layer', () => {
  it('accepts RS256 by the x5c[0] key', async () => {
    const r = await verify(await signUdapJwt(claims, { alg: 'RS256' }, c.chain.leaf.key.privateKey, chainX5c));
    expect(r.findings).toEqual([]);
    expect(r.header).toMatchObject({ alg: 'RS256', x5c: x5c(chainX5c) });
    expect(r.claims).toEqual(claims);
  });

  it('accepts ES256 and ES384 with P-256 and P-384 leaves', async () => {
    for (const [keyType, alg] of [['EC-P256', 'ES256'], ['EC-P384', 'ES384']] as const) {
      const leaf = c.issueLeaf({ label: keyType, keyType, sanUris: [CLIENT] });
      const r = await verify(await signUdapJwt(claims, { alg }, leaf.key.privateKey, c.x5c(leaf)));
      expect(r.findings).toEqual([]);
    }
  });

  it('refuses alg none and HS256 (also an HMAC keyed with the certificate bytes)', async () => {
    const header = { x5c: x5c(chainX5c) };
    const none = await verify(forgeUdapJwt({ ...header, alg: 'none' }, claims));
    expect(errors(none)).toEqual(['alg-none']);
    expect(none.findings[0].section).toBe('UDAP STU2 §7.1.2');
    const signingInput = forgeUdapJwt({ ...header, alg: 'HS256' }, claims).slice(0, -1); // "header.payload"
    const mac = createHmac('sha256', Buffer.from(c.chain.leaf.der)).update(signingInput).digest('base64url');
    const hs = await verify(`${signingInput}.${mac}`);
    expect(errors(hs)).toEqual(['alg-symmetric']);
    expect(hs.valid).toBe(false);
  });

  it('refuses algorithms the IG does not name and a missing alg', async () => {
    const ps = await verify(await signUdapJwt(claims, { alg: 'PS256' }, c.chain.leaf.key.privateKey, chainX5c));
    expect(errors(ps)).toEqual(['alg-not-allowed']);
    expect(errors(await verify(forgeUdapJwt({ x5c: x5c(chainX5c) }, claims, 'c2ln')))).toEqual(['alg-missing']);
  });

  it('refuses an alg that does not fit the x5c[0] key', async () => {
    // ES256 signed by some P-256 key, but x5c[0] holds an RSA key
    const jwt = await signUdapJwt(claims, { alg: 'ES256' }, testKey('EC-P256', 'stranger').privateKey, chainX5c);
    const r = await verify(jwt);
    expect(errors(r)).toEqual(['alg-key-mismatch']);
    expect(r.findings[0].message).toMatch(/a rsa key/);
    const p384 = c.issueLeaf({ label: 'p384', keyType: 'EC-P384', sanUris: [CLIENT] });
    const wrongCurve = await signUdapJwt(claims, { alg: 'ES256' }, testKey('EC-P256', 'stranger').privateKey, c.x5c(p384));
    expect((await verify(wrongCurve)).findings[0].message).toMatch(/EC secp384r1 key/);
  });

  it('refuses a tampered signature, a tampered payload and a signature by another key', async () => {
    const jwt = await signUdapJwt(claims, { alg: 'RS256' }, c.chain.leaf.key.privateKey, chainX5c);
    const [h, p, s] = jwt.split('.');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const r = await verify(`${h}.${p}.${flipped}`);
    expect(errors(r)).toEqual(['signature-invalid']);
    expect(r.findings[0].section).toBe('udap.org DCR §4.1');
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, client_name: 'Evil' })).toString('base64url');
    expect(errors(await verify(`${h}.${otherPayload}.${s}`))).toEqual(['signature-invalid']);
    const byOther = await signUdapJwt(claims, { alg: 'RS256' }, testKey('RSA-2048', 'stranger').privateKey, chainX5c);
    expect(errors(await verify(byOther))).toEqual(['signature-invalid']);
  });

  it('requires x5c: present, standard base64, DER certificates', async () => {
    const key = c.chain.leaf.key.privateKey;
    expect(errors(await verify(await signUdapJwt(claims, { alg: 'RS256' }, key, [])))).toEqual(['x5c-missing']);
    const urlSafe = Buffer.from(c.chain.leaf.der).toString('base64url');
    expect(urlSafe).toMatch(/[-_]/); // this certificate's base64 has + or /, so base64url differs
    const b64url = await verify(await signUdapJwt(claims, { alg: 'RS256', x5c: [urlSafe] }, key, []));
    expect(errors(b64url)).toEqual(['x5c-not-base64']);
    const garbage = await verify(await signUdapJwt(claims, { alg: 'RS256', x5c: [Buffer.from('not a certificate').toString('base64')] }, key, []));
    expect(errors(garbage)).toEqual(['x5c-not-certificate']);
    const badIntermediate = await verify(await signUdapJwt(claims, { alg: 'RS256', x5c: [...x5c(chainX5c), 'AAAA'] }, key, []));
    expect(badIntermediate.findings).toEqual([expect.objectContaining({ code: 'x5c-not-certificate', depth: 2 })]);
  });

  it('refuses what is not a compact JWS', async () => {
    expect(errors(await verify('a.b'))).toEqual(['jws-malformed']);
    expect(errors(await verify('!!.e30.'))).toEqual(['jws-malformed']);
    const jwt = await signUdapJwt(claims, { alg: 'RS256' }, c.chain.leaf.key.privateKey, chainX5c);
    const [h, , s] = jwt.split('.');
    const r = await verify(`${h}.${Buffer.from('[1]').toString('base64url')}.${s}`);
    expect(errors(r)).toEqual(['jws-malformed', 'signature-invalid']);
    expect(r.claims).toBeUndefined();
  });

  it('requires RS256 for signed metadata, even from an EC key', async () => {
    const base = 'https://fhir.example.org/r4';
    const ec = c.issueLeaf({ label: 'ec-server', keyType: 'EC-P256', sanUris: [base] });
    const jwt = await signUdapJwt(signedMetadataClaims(base, now), { alg: 'ES256' }, ec.key.privateKey, c.x5c(ec));
    const r = await verifyUdapJwt(jwt, c.trust(), { kind: 'signed-metadata', now, expected: { iss: base } });
    expect(errors(r)).toEqual(['signed-metadata-alg']);
    expect(r.findings[0].section).toBe('UDAP STU2 §2.3');
    // the same token is a fine software statement signature-wise: only the kind makes ES256 wrong
    expect((await verifyUdapJwt(jwt, c.trust(), { kind: 'certification', now })).findings.map((f) => f.code)).not.toContain('signed-metadata-alg');
  });
});
