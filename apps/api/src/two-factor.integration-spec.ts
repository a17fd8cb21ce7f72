// Resetting a user's second factor over HTTP (a lost authenticator): the old secret and every session
// of the account end, a role that requires two-factor gets a new secret in the answer (once, not
// cached), the audit records it; refusals are problem documents that change nothing.
import { randomUUID } from 'node:crypto';
import { createApiToken, createCommunity, createOrganization, createUser, openPlatform, totpCode, type Platform } from '@anchorage/authority';
import type { Actor } from '@anchorage/authority';
import { testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('POST /api/v1/users/:id/reset-two-factor (real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let orgId: string;
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'a long enough password';
  const root: Actor = { id: 'two-factor-test', role: 'operator' };

  const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  const login = (email: string, code?: string) => call('POST', '/api/v1/auth/login', null, { email, password: PASSWORD, ...(code ? { code } : {}) });

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 1000 });
    token = (await createApiToken(p, `two-factor-${tag}`, root)).token;
    const c = await createCommunity(p, { name: 'Two-factor Test', uri: `udap://tf-${tag}.example.org/`, caKeyType: 'EC-P256' }, root);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Clinic', sanUris: [`https://tf-${tag}.example.org/fhir`] }, root)).id;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('gives an operator a new secret, shown once: the old code and every session stop working', async () => {
    const op = await createUser(p, { email: `op-${tag}@example.org`, displayName: 'Olga Operator', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    const oldSecret = op.totpEnrollment!.secret;
    const session = await login(op.email, totpCode(oldSecret, new Date()));
    expect(session.status).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', session.json.accessToken)).status).toBe(200);

    const reset = await call('POST', `/api/v1/users/${op.id}/reset-two-factor`, token);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    expect(reset.json).toMatchObject({ id: op.id, totpEnabled: true, totpEnrollment: { secret: expect.stringMatching(/^[A-Z2-7]{32}$/) } });
    const newSecret = reset.json.totpEnrollment.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    expect(reset.json.totpEnrollment.otpauthUri).toContain(`secret=${newSecret}`);
    // the session of before ends at once
    expect((await call('GET', '/api/v1/auth/me', session.json.accessToken)).status).toBe(401);
    // the next 30-second step's code of the old secret is refused; the new secret's is accepted
    const next = new Date(Date.now() + 30_000);
    expect((await login(op.email, totpCode(oldSecret, next))).status).toBe(401);
    expect((await login(op.email, totpCode(newSecret, next))).status).toBe(200);
    // the secret is never shown again
    expect(JSON.stringify((await call('GET', `/api/v1/users/${op.id}`, token)).json)).not.toContain(newSecret);
    const audit = await p.db.audit.list({ subjectId: op.id }, 0, 100);
    expect(audit.items.map((e) => e.action)).toContain('user.two-factor-reset');
  });

  it('refuses, with a problem document and no change: a user with no second factor, oneself, an unknown user', async () => {
    const member = await createUser(p, { email: `member-${tag}@example.org`, displayName: 'Mia Member', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    expect(member.totpEnabled).toBe(false);
    const none = await call('POST', `/api/v1/users/${member.id}/reset-two-factor`, token);
    expect(none.status).toBe(409);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.json.detail).toBe(`${member.email} has no two-factor authentication to reset`);
    const op = await createUser(p, { email: `self-${tag}@example.org`, displayName: 'Sam Self', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    const mine = await login(op.email, totpCode(op.totpEnrollment!.secret, new Date()));
    const self = await call('POST', `/api/v1/users/${op.id}/reset-two-factor`, mine.json.accessToken);
    expect(self.status).toBe(409);
    expect(self.json.detail).toMatch(/you cannot reset your own two-factor authentication/);
    expect((await call('GET', '/api/v1/auth/me', mine.json.accessToken)).status).toBe(200);
    const unknown = await call('POST', `/api/v1/users/${randomUUID()}/reset-two-factor`, token);
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('not-found');
    const audit = await p.db.audit.list({ subjectId: op.id }, 0, 100);
    expect(audit.items.map((e) => e.action)).not.toContain('user.two-factor-reset');
  });

  it('turns a member admin\'s two-factor off (they may set it up again), and gives an auditor left without one a secret', async () => {
    const member = await createUser(p, { email: `mfa-${tag}@example.org`, displayName: 'Max Member', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const first = await login(member.email);
    const setup = await call('POST', '/api/v1/auth/totp/setup', first.json.accessToken);
    const confirmed = await call('POST', '/api/v1/auth/totp/confirm', first.json.accessToken, { code: totpCode(setup.json.secret, new Date()) });
    expect(confirmed.status).toBe(200);
    expect(await p.db.identity.countRecoveryCodes(member.id)).toBe(10);
    const reset = await call('POST', `/api/v1/users/${member.id}/reset-two-factor`, token);
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ id: member.id, totpEnabled: false, totpEnrollment: null });
    expect((await call('GET', '/api/v1/auth/me', first.json.accessToken)).status).toBe(401);
    expect((await login(member.email)).status).toBe(200);
    // its recovery codes ended with the secret
    expect(await p.db.identity.countRecoveryCodes(member.id)).toBe(0);

    // an auditor from before auditors needed two-factor: refused at sign-in until an operator resets it
    const auditor = await createUser(p, { email: `old-auditor-${tag}@example.org`, displayName: 'Otto Old', role: 'auditor', password: PASSWORD }, root);
    await p.db.identity.setTotp(auditor.id, null, null);
    expect((await login(auditor.email)).status).toBe(401);
    const given = await call('POST', `/api/v1/users/${auditor.id}/reset-two-factor`, token);
    expect(given.status).toBe(200);
    expect(given.json).toMatchObject({ totpEnabled: true, totpEnrollment: { secret: expect.stringMatching(/^[A-Z2-7]{32}$/) } });
    expect((await login(auditor.email, totpCode(given.json.totpEnrollment.secret, new Date()))).status).toBe(200);
  });
});
