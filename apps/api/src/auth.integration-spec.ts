import { randomUUID } from 'node:crypto';
import { createUser, openPlatform, SIGN_IN_REFUSED, totpCode, type Platform } from '@anchorage/authority';
import { testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('sign-in over HTTP: cookies, refresh rotation, sign-out, rate limit (real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  const opts = testPlatformOptions();
  const email = `auditor-${randomUUID().slice(0, 8)}@example.org`;
  const PASSWORD = 'a long enough password';
  let secret = '';

  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => fetch(`${srv.url}${path}`, {
    method: 'POST', headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0];

  beforeAll(async () => {
    p = await openPlatform(opts);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 8 });
    // auditors sign in with a TOTP code, like operators
    secret = (await createUser(p, { email, displayName: 'Auditor', role: 'auditor', password: PASSWORD }, { id: 'test', role: 'operator' })).totpEnrollment!.secret;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('signs in with an httpOnly SameSite=Strict refresh cookie, rotates it, and signs out', async () => {
    const res = await post('/api/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD, code: totpCode(secret, new Date()) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^anchorage_refresh=anr_[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api\/v1\/auth/);
    const session = await res.json();
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 600, user: { email, role: 'auditor' } });
    expect(JSON.stringify(session)).not.toMatch(/anr_|argon2/); // the refresh token and hash never appear in a body

    const me = await fetch(`${srv.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect((await me.json()).email).toBe(email);

    const first = cookieOf(res);
    const refreshed = await post('/api/v1/auth/refresh', undefined, { cookie: first });
    expect(refreshed.status).toBe(200);
    const second = cookieOf(refreshed);
    expect(second).not.toBe(first);
    const next = await refreshed.json();

    const out = await post('/api/v1/auth/logout', undefined, { cookie: second });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/anchorage_refresh=;/);
    const after = await post('/api/v1/auth/refresh', undefined, { cookie: second });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toMatch(/problem\+json/);
    const dead = await fetch(`${srv.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${next.accessToken}` } });
    expect(dead.status).toBe(401);
  });

  it('refuses wrong credentials with one generic problem document, then limits attempts per address', async () => {
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 8; i++) {
      last = await post('/api/v1/auth/login', { email: i % 2 ? email : 'nobody@example.org', password: 'wrong password!' });
      statuses.push(last.status);
      if (last.status === 401) expect((await last.json()).detail).toBe(SIGN_IN_REFUSED);
    }
    // the first test signed in once: 8 attempts in the minute were allowed in all
    expect(statuses.filter((s) => s === 401).length).toBe(7);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).code).toBe('too-many-requests');
  });
});
