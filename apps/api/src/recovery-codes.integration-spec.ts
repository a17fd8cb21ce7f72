// Recovery codes over HTTP (real PostgreSQL): ten with every new TOTP secret (account creation,
// enrollment, reset), shown once and stored only as hashes; each signs in once in place of a TOTP code,
// also when two sign-ins race with it; new ones replace the old; using and regenerating are audited.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createApiToken, createCommunity, createOrganization, createUser, openPlatform, totpCode, type Actor, type Platform } from '@anchorage/authority';
import { testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('two-factor recovery codes (real PostgreSQL)', () => {
  const opts = testPlatformOptions();
  let p: Platform;
  let srv: RunningServer;
  let admin: Client;
  let token: string;
  let orgId: string;
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'a long enough password';
  const root: Actor = { id: 'recovery-test', role: 'operator' };
  const CODE_SHAPE = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;

  const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  const login = (email: string, code?: string) => call('POST', '/api/v1/auth/login', null, { email, password: PASSWORD, ...(code !== undefined ? { code } : {}) });
  const actions = async (userId: string) =>
    (await admin.query('SELECT action, data FROM audit_event WHERE subject_id = $1 ORDER BY seq', [userId])).rows as { action: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    p = await openPlatform(opts);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 1000 });
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    token = (await createApiToken(p, `recovery-${tag}`, root)).token;
    const c = await createCommunity(p, { name: 'Recovery Test', uri: `udap://rc-${tag}.example.org/`, caKeyType: 'EC-P256' }, root);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Clinic', sanUris: [`https://rc-${tag}.example.org/fhir`] }, root)).id;
  });
  afterAll(async () => {
    await admin.end();
    await srv.close();
    await p.close();
  });

  it('gives an operator ten codes with its secret, stored only as hashes; each signs in once, also against a racing sign-in', async () => {
    const op = await createUser(p, { email: `op-${tag}@example.org`, displayName: 'Olga', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    const codes = op.totpEnrollment!.recoveryCodes;
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(CODE_SHAPE);
    expect(new Set(codes).size).toBe(10);
    const stored = (await admin.query('SELECT code_hash FROM recovery_code WHERE user_id = $1', [op.id])).rows.map((r) => r.code_hash as string);
    expect(stored).toHaveLength(10);
    for (const c of codes) for (const h of stored) expect(h).not.toContain(c.replace(/-/g, ''));

    // typed in capitals and without dashes: the same code
    const first = await login(op.email, codes[0].replace(/-/g, '').toUpperCase());
    expect(first.status).toBe(200);
    expect((await login(op.email, codes[0])).status).toBe(401);
    const status = await call('GET', '/api/v1/auth/recovery-codes', first.json.accessToken);
    expect(status).toMatchObject({ status: 200, json: { remaining: 9, total: 10 } });
    // two sign-ins with the same code at once: one gets in
    const raced = await Promise.all([login(op.email, codes[1]), login(op.email, codes[1])]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401]);
    const events = await actions(op.id);
    expect(events.filter((e) => e.action === 'user.recovery-code-used').map((e) => e.data.remaining)).toEqual([9, 8]);
    expect(events.filter((e) => e.action === 'user.signed-in').map((e) => e.data.secondFactor)).toEqual(['recovery-code', 'recovery-code']);
    // a string that is no code is refused like a wrong TOTP code; an overlong one is a problem document
    expect((await login(op.email, 'not-a-code-at-all')).status).toBe(401);
    const overlong = await login(op.email, 'a'.repeat(65));
    expect(overlong.status).toBe(400);
    expect(overlong.json.code).toBe('validation');
  });

  it('makes new codes on request: the old ones stop working, the answer is not cached, and it is audited', async () => {
    const aud = await createUser(p, { email: `aud-${tag}@example.org`, displayName: 'Aldo', role: 'auditor', password: PASSWORD }, root);
    const old = aud.totpEnrollment!.recoveryCodes;
    const s = await login(aud.email, totpCode(aud.totpEnrollment!.secret, new Date()));
    const fresh = await call('POST', '/api/v1/auth/recovery-codes', s.json.accessToken);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('cache-control')).toBe('no-store');
    expect(fresh.json).toMatchObject({ remaining: 10, total: 10 });
    expect(fresh.json.recoveryCodes).toHaveLength(10);
    expect(fresh.json.recoveryCodes.some((c: string) => old.includes(c))).toBe(false);
    expect((await login(aud.email, old[0])).status).toBe(401);
    expect((await login(aud.email, fresh.json.recoveryCodes[0])).status).toBe(200);
    expect((await actions(aud.id)).map((e) => e.action)).toEqual(expect.arrayContaining(['user.recovery-codes-regenerated', 'user.recovery-code-used']));
    // an API token has no codes
    expect((await call('POST', '/api/v1/auth/recovery-codes', token)).status).toBe(403);
  });

  it('gives a member admin codes when it turns TOTP on, none before; a reset of an operator replaces its codes', async () => {
    const member = await createUser(p, { email: `member-${tag}@example.org`, displayName: 'Mia', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const s = await login(member.email);
    const none = await call('GET', '/api/v1/auth/recovery-codes', s.json.accessToken);
    expect(none.status).toBe(409);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const setup = await call('POST', '/api/v1/auth/totp/setup', s.json.accessToken);
    const confirmed = await call('POST', '/api/v1/auth/totp/confirm', s.json.accessToken, { code: totpCode(setup.json.secret, new Date()) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.recoveryCodes).toHaveLength(10);
    expect((await login(member.email, confirmed.json.recoveryCodes[3])).status).toBe(200);

    const op = await createUser(p, { email: `reset-${tag}@example.org`, displayName: 'Rita', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    const reset = await call('POST', `/api/v1/users/${op.id}/reset-two-factor`, token);
    expect(reset.json.totpEnrollment.recoveryCodes).toHaveLength(10);
    expect((await login(op.email, op.totpEnrollment!.recoveryCodes[0])).status).toBe(401);
    expect((await login(op.email, reset.json.totpEnrollment.recoveryCodes[0])).status).toBe(200);
  });
});
