// Passkeys over HTTP (real PostgreSQL), with a software authenticator (ES256 and RS256): an operator
// registers one against a one-time challenge, then signs in with e-mail, password and the passkey's
// answer instead of a TOTP code; a replayed answer, a counter that does not grow, another origin, an
// expired or reused challenge are refused, and other roles are not offered passkeys.
import { randomUUID } from 'node:crypto';
import { createUser, openPlatform, relyingParty, totpCode, type Actor, type Platform } from '@anchorage/authority';
import { SoftAuthenticator, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe.each([['ES256', -7], ['RS256', -257]] as const)('passkeys with %s (real PostgreSQL)', (_name, alg) => {
  let p: Platform;
  let srv: RunningServer;
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'a long enough password';
  const root: Actor = { id: 'passkey-test', role: 'operator' };

  const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const challenge = async (path: string, bearer: string | null) => {
    const r = await call('POST', path, bearer);
    expect(r.status).toBe(200);
    return { id: r.json.challengeId as string, bytes: Buffer.from(r.json.publicKey.challenge, 'base64url'), publicKey: r.json.publicKey };
  };

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 1000 });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('registers an operator\'s passkey, signs in with it instead of a code, and refuses replays, clones and other origins', async () => {
    const op = await createUser(p, { email: `pk-${alg === -7 ? 'es' : 'rs'}-${tag}@example.org`, displayName: 'Petra Passkey', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    const session = await call('POST', '/api/v1/auth/login', null, { email: op.email, password: PASSWORD, code: totpCode(op.totpEnrollment!.secret, new Date()) });
    const at = session.json.accessToken as string;
    const rp = relyingParty(p);

    const reg = await challenge('/api/v1/auth/passkeys/registration-options', at);
    expect(reg.publicKey).toMatchObject({ rpId: rp.rpId, rp: { id: rp.rpId }, attestation: 'none', pubKeyCredParams: [{ alg: -7 }, { alg: -257 }], excludeCredentials: [] });
    const a = new SoftAuthenticator(alg, rp, reg.bytes);
    // an answer for another origin is refused, and spends the challenge
    const wrong = await call('POST', '/api/v1/auth/passkeys', at, { challengeId: reg.id, name: 'Laptop', ...a.register({ clientData: a.clientData('webauthn.create', { origin: 'https://evil.example' }) }) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.detail).toMatch(/origin "https:\/\/evil.example" is not/);
    expect((await call('POST', '/api/v1/auth/passkeys', at, { challengeId: reg.id, name: 'Laptop', ...a.register() })).json.detail).toMatch(/challenge is unknown, used or expired/);

    const reg2 = await challenge('/api/v1/auth/passkeys/registration-options', at);
    a.challenge = reg2.bytes;
    const made = await call('POST', '/api/v1/auth/passkeys', at, { challengeId: reg2.id, name: 'Laptop', ...a.register() });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ credentialId: a.id.toString('base64url'), name: 'Laptop', algorithm: alg === -7 ? 'ES256' : 'RS256', lastUsedAt: null });
    expect((await call('GET', '/api/v1/auth/passkeys', at)).json).toHaveLength(1);
    // the same credential again: a conflict
    const reg3 = await challenge('/api/v1/auth/passkeys/registration-options', at);
    expect(reg3.publicKey.excludeCredentials).toEqual([{ type: 'public-key', id: a.id.toString('base64url') }]);
    a.challenge = reg3.bytes;
    expect((await call('POST', '/api/v1/auth/passkeys', at, { challengeId: reg3.id, name: 'Again', ...a.register() })).status).toBe(409);

    // sign-in: a challenge naming no account, answered by the passkey, sent with e-mail and password
    const login = async (mutate?: (c: { id: string; bytes: Buffer }) => Record<string, string>) => {
      const c = await challenge('/api/v1/auth/passkeys/sign-in-options', null);
      expect(c.publicKey.allowCredentials).toBeUndefined();
      a.challenge = c.bytes;
      const assertion = mutate ? mutate(c) : a.assert();
      return { c, assertion, res: await call('POST', '/api/v1/auth/login', null, { email: op.email, password: PASSWORD, passkey: { challengeId: c.id, ...assertion } }) };
    };
    const ok = await login();
    expect(ok.res.status).toBe(200);
    // the same answer again: its challenge is spent
    expect((await call('POST', '/api/v1/auth/login', null, { email: op.email, password: PASSWORD, passkey: { challengeId: ok.c.id, ...ok.assertion } })).status).toBe(401);
    // a counter that does not grow (a cloned authenticator), another origin, a bad signature
    expect((await login(() => a.assert({ authData: a.authData({ counter: a.counter }) }))).res.status).toBe(401);
    expect((await login(() => a.assert({ clientData: a.clientData('webauthn.get', { origin: 'https://evil.example' }) }))).res.status).toBe(401);
    expect((await login(() => a.assert({ tamper: true }))).res.status).toBe(401);
    expect((await login()).res.status).toBe(200);
    const audit = await p.db.audit.list({ subjectId: op.id }, 0, 100);
    expect(audit.items.filter((e) => e.action === 'user.signed-in').map((e) => (e.data as { secondFactor: unknown }).secondFactor)).toEqual(['passkey', 'passkey', true]); // newest first
    expect(audit.items.map((e) => e.action)).toContain('user.passkey-registered');
    const listed = (await call('GET', '/api/v1/auth/passkeys', at)).json;
    expect(listed[0].lastUsedAt).not.toBeNull();
  });

  it('offers passkeys to operators only', async () => {
    const aud = await createUser(p, { email: `pk-aud-${alg === -7 ? 'es' : 'rs'}-${tag}@example.org`, displayName: 'Aldo', role: 'auditor', password: PASSWORD }, root);
    const s = await call('POST', '/api/v1/auth/login', null, { email: aud.email, password: PASSWORD, code: totpCode(aud.totpEnrollment!.secret, new Date()) });
    const r = await call('POST', '/api/v1/auth/passkeys/registration-options', s.json.accessToken);
    expect(r.status).toBe(403);
    expect(r.json.detail).toBe('passkeys are offered to operators');
  });
});
