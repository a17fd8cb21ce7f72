import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeClock, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { createUser } from './create-user';
import { manageUser } from './manage-user';
import { LOCK_AFTER_FAILURES, LOCK_SECONDS, SIGN_IN_REFUSED, signIn } from './sign-in';
import { authenticateAccessToken, refreshSession, SESSION_MAX_SECONDS, signOut, signOutByRefreshToken } from './sessions';
import { totpCode } from './totp';
import { beginTotpEnrollment, confirmTotpEnrollment } from './totp-enrollment';

const root: Actor = { id: 'test-operator', role: 'operator' };
const PASSWORD = 'correct horse battery staple';

describe('identity: users, sign-in, TOTP, sessions (PostgreSQL)', () => {
  let p: Platform;
  const clock = new FakeClock('2026-11-22T12:00:00.000Z');
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  let orgId: string;
  let communityId: string;
  let admin: Client;

  beforeAll(async () => {
    p = await openPlatform({ ...opts, clock });
    const c = await createCommunity(p, { name: 'Identity Test', uri: `udap://id-${tag}.example.org/`, caKeyType: 'EC-P256' }, root);
    communityId = c.community.id;
    orgId = (await createOrganization(p, { communityId, name: 'Clinic', sanUris: [`https://id-${tag}.example.org/fhir`] }, root)).id;
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await p.close();
  });

  const email = (who: string) => `${who}-${tag}@Example.org`;

  it('creates an operator with TOTP (secret shown once, stored sealed) and signs in only with a fresh code', async () => {
    const u = await createUser(p, { email: email('op'), displayName: 'Op', role: 'operator', password: PASSWORD, communities: [communityId] }, root);
    expect(u.email).toBe(email('op').toLowerCase());
    expect(u.communities).toEqual([communityId]);
    expect(u.totpEnabled).toBe(true);
    const secret = u.totpEnrollment!.secret;
    const row = (await admin.query('SELECT password_hash, totp_secret_sealed FROM app_user WHERE id = $1', [u.id])).rows[0];
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.totp_secret_sealed).not.toContain(secret);

    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD }), 'unauthorized');
    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD, code: '000000' }), 'unauthorized');
    const code = totpCode(secret, clock.now());
    const s = await signIn(p, { email: email('op').toUpperCase(), password: PASSWORD, code });
    expect(s.view.user.role).toBe('operator');
    // the same code again is a replay
    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD, code }), 'unauthorized');
    const auth = await authenticateAccessToken(p, s.view.accessToken);
    expect(auth?.actor).toMatchObject({ role: 'operator', userId: u.id, communityIds: [communityId] });
  });

  it('answers every refusal with the same message and locks after repeated failures', async () => {
    const u = await createUser(p, { email: email('lock'), displayName: 'Lock', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const unknown = await signIn(p, { email: email('nobody'), password: PASSWORD }).catch((e: Error) => e.message);
    const wrong = await signIn(p, { email: u.email, password: 'wrong password!!' }).catch((e: Error) => e.message);
    expect(unknown).toBe(SIGN_IN_REFUSED);
    expect(wrong).toBe(SIGN_IN_REFUSED);
    for (let i = 1; i < LOCK_AFTER_FAILURES; i++) await expectDomainError(signIn(p, { email: u.email, password: 'wrong password!!' }), 'unauthorized');
    // locked now: even the right password is refused, with the same message
    expect(await signIn(p, { email: u.email, password: PASSWORD }).catch((e: Error) => e.message)).toBe(SIGN_IN_REFUSED);
    clock.advance(LOCK_SECONDS * 1000 + 1000);
    const s = await signIn(p, { email: u.email, password: PASSWORD });
    expect(s.view.user.lockedUntil).toBeNull();
    const audit = (await admin.query(`SELECT data FROM audit_event WHERE action = 'user.sign-in-refused' AND subject_id = $1 ORDER BY seq`, [u.id])).rows;
    expect(audit.map((r) => r.data.reason)).toEqual(['password', 'password', 'password', 'password', 'password', 'locked']);
  });

  it('rotates refresh tokens, ends the family when a rotated token is replayed, and signs out at once', async () => {
    const u = await createUser(p, { email: email('member'), displayName: 'Member', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const s1 = await signIn(p, { email: u.email, password: PASSWORD });
    expect((await authenticateAccessToken(p, s1.view.accessToken))?.actor).toMatchObject({ role: 'member-admin', organizationId: orgId });
    const s2 = await refreshSession(p, s1.refreshToken);
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    const s3 = await refreshSession(p, s2.refreshToken);
    // s1's token again: a stolen copy; the whole family ends, including s3's tokens
    await expectDomainError(refreshSession(p, s1.refreshToken), 'unauthorized');
    await expectDomainError(refreshSession(p, s3.refreshToken), 'unauthorized');
    expect(await authenticateAccessToken(p, s3.view.accessToken)).toBeNull();

    const s4 = await signIn(p, { email: u.email, password: PASSWORD });
    const a4 = await authenticateAccessToken(p, s4.view.accessToken);
    await signOut(p, a4!.actor, a4!.familyId);
    expect(await authenticateAccessToken(p, s4.view.accessToken)).toBeNull();
    await expectDomainError(refreshSession(p, s4.refreshToken), 'unauthorized');

    const s5 = await signIn(p, { email: u.email, password: PASSWORD });
    await signOutByRefreshToken(p, s5.refreshToken);
    expect(await authenticateAccessToken(p, s5.view.accessToken)).toBeNull();
  });

  it('ends a sign-in at its hard limit however often it refreshes, and refuses forged or expired access tokens', async () => {
    const u = await createUser(p, { email: email('long'), displayName: 'Long', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const start = clock.now().getTime();
    let s = await signIn(p, { email: u.email, password: PASSWORD });
    for (let i = 0; i < 3; i++) {
      clock.advance(6 * 3600 * 1000);
      s = await refreshSession(p, s.refreshToken);
    }
    // 18 h in: the new refresh token would live 12 h more, but the sign-in ends at 24 h
    expect(s.refreshExpiresAt.getTime()).toBe(start + SESSION_MAX_SECONDS * 1000);
    clock.advance(6 * 3600 * 1000);
    await expectDomainError(refreshSession(p, s.refreshToken), 'unauthorized');
    const fresh = await signIn(p, { email: u.email, password: PASSWORD });
    const [h, body, sig] = fresh.view.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), act: { id: 'x', role: 'operator', userId: u.id } })).toString('base64url');
    expect(await authenticateAccessToken(p, `${h}.${forged}.${sig}`)).toBeNull();
    clock.advance(11 * 60 * 1000);
    expect(await authenticateAccessToken(p, fresh.view.accessToken)).toBeNull();
  });

  it('gives an auditor a TOTP secret at creation, shown once, and requires its code at every sign-in', async () => {
    const u = await createUser(p, { email: email('auditor'), displayName: 'Auditor', role: 'auditor', password: PASSWORD }, root);
    expect(u.totpEnabled).toBe(true);
    const secret = u.totpEnrollment!.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD }), 'unauthorized');
    const s = await signIn(p, { email: u.email, password: PASSWORD, code: totpCode(secret, clock.now()) });
    expect(s.view.user).toMatchObject({ role: 'auditor', totpEnabled: true });
    // it cannot start another enrollment over the required one
    await expectDomainError(beginTotpEnrollment(p, (await authenticateAccessToken(p, s.view.accessToken))!.actor), 'conflict');
  });

  it('lets a member admin turn TOTP on only with a matching code, then requires it', async () => {
    const u = await createUser(p, { email: email('totp'), displayName: 'Totp', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const s = await signIn(p, { email: u.email, password: PASSWORD });
    const actor = (await authenticateAccessToken(p, s.view.accessToken))!.actor;
    const { secret, otpauthUri } = await beginTotpEnrollment(p, actor);
    expect(otpauthUri).toContain(`secret=${secret}`);
    await expectDomainError(confirmTotpEnrollment(p, actor, '123456'), 'validation');
    const code = totpCode(secret, clock.now());
    await confirmTotpEnrollment(p, actor, code);
    clock.advance(30_000);
    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD }), 'unauthorized');
    const again = await signIn(p, { email: u.email, password: PASSWORD, code: totpCode(secret, clock.now()) });
    expect(again.view.user.totpEnabled).toBe(true);
  });

  it('refuses bad user input and scope escalation, leaving nothing behind', async () => {
    const scoped: Actor = { id: 'scoped-operator', role: 'operator', communityIds: [communityId] };
    const before = (await admin.query('SELECT count(*)::int AS n FROM app_user')).rows[0].n;
    await expectDomainError(createUser(p, { email: 'not-an-address', displayName: 'X', role: 'auditor', password: PASSWORD }, root), 'validation');
    await expectDomainError(createUser(p, { email: email('short'), displayName: 'X', role: 'auditor', password: 'short' }, root), 'validation');
    await expectDomainError(createUser(p, { email: email('op'), displayName: 'Dup', role: 'auditor', password: PASSWORD }, root), 'conflict');
    await expectDomainError(createUser(p, { email: email('noorg'), displayName: 'X', role: 'member-admin', password: PASSWORD }, root), 'validation');
    await expectDomainError(createUser(p, { email: email('nocomm'), displayName: 'X', role: 'operator', password: PASSWORD, communities: [] }, root), 'validation');
    await expectDomainError(createUser(p, { email: email('esc'), displayName: 'X', role: 'operator', password: PASSWORD, communities: 'all' }, scoped), 'forbidden');
    await expectDomainError(createUser(p, { email: email('aud'), displayName: 'X', role: 'auditor', password: PASSWORD }, scoped), 'forbidden');
    expect((await admin.query('SELECT count(*)::int AS n FROM app_user')).rows[0].n).toBe(before);
    // a scoped operator may create a member admin of its own community
    const m = await createUser(p, { email: email('m2'), displayName: 'M2', role: 'member-admin', password: PASSWORD, organizationId: orgId }, scoped);
    expect(m.organizationId).toBe(orgId);
  });

  it('disables an account (its sessions end at once), re-enables and unlocks it; nobody disables themselves', async () => {
    const u = await createUser(p, { email: email('managed'), displayName: 'Managed', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const s = await signIn(p, { email: u.email, password: PASSWORD });
    const record = (await p.db.identity.findUser(u.id))!;
    const scopedElsewhere: Actor = { id: 'elsewhere', role: 'operator', communityIds: [randomUUID()] };
    await expectDomainError(manageUser(p, record, 'disable', scopedElsewhere), 'forbidden');
    expect((await manageUser(p, record, 'disable', root)).disabled).toBe(true);
    expect(await authenticateAccessToken(p, s.view.accessToken)).toBeNull();
    await expectDomainError(refreshSession(p, s.refreshToken), 'unauthorized');
    await expectDomainError(signIn(p, { email: u.email, password: PASSWORD }), 'unauthorized');
    expect((await manageUser(p, record, 'enable', root)).disabled).toBe(false);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await expectDomainError(signIn(p, { email: u.email, password: 'wrong password!!' }), 'unauthorized');
    expect((await manageUser(p, (await p.db.identity.findUser(u.id))!, 'unlock', root)).lockedUntil).toBeNull();
    expect((await signIn(p, { email: u.email, password: PASSWORD })).view.user.id).toBe(u.id);
    const self = { ...root, userId: u.id };
    await expectDomainError(manageUser(p, record, 'disable', self), 'conflict', /your own account/);
  });
});
