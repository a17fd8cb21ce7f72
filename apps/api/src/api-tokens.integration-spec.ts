import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { ApiTokenView, AuditEventView, CreatedApiTokenView } from '@anchorage/contracts';
import { FakeClock, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// Operator API tokens through the API: created with an optional expiry (the secret shown once), listed
// without secrets, revoked; a revoked or expired token stops authenticating on the next request.
describe('operator API tokens: create, list, expire and revoke through the API (real PostgreSQL)', () => {
  const opts = testPlatformOptions();
  const clock = new FakeClock(new Date());
  let p: Platform;
  let srv: RunningServer;
  let bootstrap: { id: string; token: string };

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T; res: Response }> => {
    const res = await fetch(`${srv.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T, res };
  };
  const works = async (token: string) => (await call(token, 'GET', '/api/v1/communities')).status;

  beforeAll(async () => {
    p = await openPlatform({ ...opts, clock });
    bootstrap = await createApiToken(p, 'bootstrap', { id: 'test', role: 'operator' });
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('creates a token with an expiry, lists it without its secret, and revokes it for the next request', async () => {
    const made = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'nightly export', expiresInDays: 30 });
    expect(made.status).toBe(201);
    expect(made.res.headers.get('cache-control')).toBe('no-store');
    expect(made.json.token).toMatch(/^anc_[A-Za-z0-9_-]{43}$/);
    expect(made.json).toMatchObject({ name: 'nightly export', status: 'active', createdBy: `token:bootstrap:${bootstrap.id}`, revokedAt: null, lastUsedAt: null });
    expect(new Date(made.json.expiresAt!).getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    expect(await works(made.json.token)).toBe(200);

    const list = await call<ApiTokenView[]>(bootstrap.token, 'GET', '/api/v1/api-tokens');
    expect(list.status).toBe(200);
    expect(list.res.headers.get('content-range')).toMatch(/^api-tokens 0-\d+\/\d+$/);
    const listed = list.json.find((t) => t.id === made.json.id)!;
    expect(listed).toMatchObject({ name: 'nightly export', status: 'active' });
    expect(listed.lastUsedAt).not.toBeNull(); // its use above was recorded
    expect(JSON.stringify(list.json)).not.toContain(made.json.token);
    expect(Object.keys(listed)).not.toContain('token');

    // revoked by another token: from the next request on it no longer authenticates
    const revoked = await call<ApiTokenView>(bootstrap.token, 'POST', `/api/v1/api-tokens/${made.json.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ status: 'revoked', revokedBy: `token:bootstrap:${bootstrap.id}` });
    expect(await works(made.json.token)).toBe(401);
    const again = await call<{ type: string }>(bootstrap.token, 'POST', `/api/v1/api-tokens/${made.json.id}/revoke`);
    expect(again.status).toBe(409);
    expect((await call(bootstrap.token, 'POST', '/api/v1/api-tokens/00000000-0000-4000-8000-000000000000/revoke')).status).toBe(404);

    const events = await call<AuditEventView[]>(bootstrap.token, 'GET', `/api/v1/audit/events?subjectId=${made.json.id}`);
    expect(events.json.map((e) => e.action)).toEqual(['api-token.created', 'api-token.revoked']);

    // a token may revoke itself
    const self = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'one-off' });
    expect(self.json.expiresAt).toBeNull();
    expect((await call(self.json.token, 'POST', `/api/v1/api-tokens/${self.json.id}/revoke`)).status).toBe(200);
    expect(await works(self.json.token)).toBe(401);
  });

  it('stops authenticating a token once it expires, and lists it as expired', async () => {
    const made = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'short-lived', expiresInDays: 1 });
    expect(await works(made.json.token)).toBe(200);
    clock.advance(86_400_000 - 1000);
    expect(await works(made.json.token)).toBe(200);
    clock.advance(1000);
    expect(await works(made.json.token)).toBe(401);
    const listed = (await call<ApiTokenView[]>(bootstrap.token, 'GET', '/api/v1/api-tokens')).json.find((t) => t.id === made.json.id);
    expect(listed?.status).toBe('expired');
  });

  it('keeps a live token in memory only while token changes are heard, and every process drops it at revocation', async () => {
    // a second API process on the same database, as behind a load balancer
    const p2 = await openPlatform({ ...opts, clock });
    const srv2 = await startServer(p2, { host: '127.0.0.1', port: 0, logger: false });
    let lookups = 0;
    const use = p2.db.apiTokens.use.bind(p2.db.apiTokens);
    p2.db.apiTokens.use = (...a) => { lookups++; return use(...a); };
    const worksOn2 = async (token: string) => (await fetch(`${srv2.url}/api/v1/communities`, { headers: { authorization: `Bearer ${token}` } })).status;
    const until = async (what: () => Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await what())) {
        if (Date.now() > deadline) throw new Error('not within 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      // looked up once, then answered from memory
      const a = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'burst' });
      expect(await worksOn2(a.json.token)).toBe(200);
      expect(lookups).toBe(1);
      for (let i = 0; i < 5; i++) expect(await worksOn2(a.json.token)).toBe(200);
      expect(lookups).toBe(1);

      // revoked through the other process: this one refuses it as soon as the announcement arrives
      expect((await call(bootstrap.token, 'POST', `/api/v1/api-tokens/${a.json.id}/revoke`)).status).toBe(200);
      expect(await works(a.json.token)).toBe(401); // the revoking process: at once
      await until(async () => (await worksOn2(a.json.token)) === 401);

      // revoked behind the API's back, in a database session: announced by the trigger all the same
      const b = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'revoked in SQL' });
      expect(await worksOn2(b.json.token)).toBe(200);
      expect(await worksOn2(b.json.token)).toBe(200);
      await p.db.pool.query('UPDATE api_token SET revoked_at = now() WHERE id = $1::uuid', [b.json.id]);
      await until(async () => (await worksOn2(b.json.token)) === 401);

      // the listening connection dies: nothing is trusted from memory until it listens again
      const c = await call<CreatedApiTokenView>(bootstrap.token, 'POST', '/api/v1/api-tokens', { name: 'while deaf' });
      expect(await worksOn2(c.json.token)).toBe(200);
      const { rows: [{ n }] } = await p.db.pool.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
      );
      expect(n).toBe(2); // one listening connection per process, for every channel
      await until(async () => p2.apiTokenCache?.live === false);
      const before = lookups;
      expect(await worksOn2(c.json.token)).toBe(200);
      expect(await worksOn2(c.json.token)).toBe(200);
      expect(lookups).toBe(before + 2);
      await until(async () => p2.apiTokenCache?.live === true); // listening again (retry after 1 s)
      expect(await worksOn2(c.json.token)).toBe(200);
      expect(await worksOn2(c.json.token)).toBe(200);
      expect(lookups).toBe(before + 3);
    } finally {
      await srv2.close();
      await p2.close();
    }
  });

  it('refuses bad input with a problem document and creates nothing', async () => {
    const count = async () => Number((await call(bootstrap.token, 'GET', '/api/v1/api-tokens')).res.headers.get('content-range')!.split('/')[1]);
    const before = await count();
    for (const [body, field] of [
      [{ name: 'x', expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'x', expiresInDays: 5000 }, 'expiresInDays'],
      [{ name: 'x', expiresInDays: 1.5 }, 'body.expiresInDays'],
      [{ name: 'x', expiresInDays: '30' }, 'body.expiresInDays'],
      [{ name: '  ' }, 'name'],
      [{}, 'body.name'],
    ] as const) {
      const r = await call<{ status: number; errors?: { field: string }[] }>(bootstrap.token, 'POST', '/api/v1/api-tokens', body);
      expect(`${JSON.stringify(body)} ${r.status}`).toBe(`${JSON.stringify(body)} 400`);
      expect(r.json.errors?.map((e) => e.field)).toContain(field);
    }
    expect(await count()).toBe(before);
  });
});
