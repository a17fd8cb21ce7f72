import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeClock, testPlatformOptions } from '@anchorage/testing';
import type { Actor } from '../deps';
import { openPlatform, type Platform } from '../platform';
import { createUser } from './create-user';
import { manageUser } from './manage-user';
import { LOCK_AFTER_FAILURES, LOCK_SECONDS, SIGN_IN_REFUSED, signIn } from './sign-in';
import { totpCode } from './totp';

// the module instance passwords.ts calls into (a namespace import would be a copy of it)
const argon2 = jest.requireActual<typeof import('argon2')>('argon2');

const root: Actor = { id: 'sign-in-test-operator', role: 'operator' };
const PASSWORD = 'correct horse battery staple';
const WRONG = 'wrong password!!';
/** The parameters of every stored hash (passwords.ts): the decoy must be verified at the same cost. */
const HASH_PARAMS = '$argon2id$v=19$m=19456,p=1,t=2$';

/** One argon2 verification as the sign-in asked for it. */
interface Verification { hash: string; password: string }

/**
 * Holds argon2 verifications until `count` of them have been asked for, then lets all run: every
 * attempt of a burst has taken (or been refused) its place in the lockout count before any password
 * check can finish, the worst case for a lockout, whatever the machine's speed.
 */
class VerificationGate {
  private arrived = 0;
  private readonly release: Promise<void>;
  private open!: () => void;
  private readonly waiters: { n: number; done: () => void }[] = [];

  constructor(private readonly count: number) {
    this.release = new Promise((r) => { this.open = r; });
  }

  /** Called by each verification; resolves once the whole burst has arrived. */
  async pass(): Promise<void> {
    this.arrived += 1;
    for (const w of this.waiters.filter((x) => x.n <= this.arrived)) w.done();
    if (this.arrived >= this.count) this.open();
    await this.release;
  }

  /** Resolves once `n` verifications have been asked for. */
  reached(n: number): Promise<void> {
    return n <= this.arrived ? Promise.resolve() : new Promise((done) => this.waiters.push({ n, done }));
  }
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('sign-in: lockout under concurrency, and the same work whether or not an account exists (PostgreSQL)', () => {
  let p: Platform;
  const clock = new FakeClock('2026-11-22T12:00:00.000Z');
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  let admin: Client;
  const verifications: Verification[] = [];
  let gate: VerificationGate | null = null;
  let statements: string[] | null = null;
  const realVerify = argon2.verify;
  const realQuery = Client.prototype.query;
  let n = 0;
  const email = (who: string) => `${who}-${++n}-${tag}@example.org`;

  beforeAll(async () => {
    p = await openPlatform({ ...opts, clock });
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    // argon2 is one module instance for this file and passwords.ts: every verification passes here
    jest.spyOn(argon2, 'verify').mockImplementation(async (hash, password, options) => {
      verifications.push({ hash, password: String(password) });
      if (gate) await gate.pass();
      return realVerify(hash, password, options);
    });
    // every SQL statement the platform's pool sends (Prisma and raw pg alike go through pg.Client)
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string; name?: string };
      if (statements) statements.push((typeof q === 'string' ? q : q.text ?? `prepared ${q.name}`).replace(/\s+/g, ' ').trim());
      return (realQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await admin.end();
    await p.close();
  });
  beforeEach(() => {
    verifications.length = 0;
    gate = null;
    statements = null;
  });

  /** The TOTP secret of each account by e-mail address: every attempt brings the current code (auditors and operators need one). */
  const secrets = new Map<string, string>();
  const account = async (who: string, role: 'auditor' | 'operator' = 'auditor') => {
    const u = await createUser(p, { email: email(who), displayName: who, role, password: PASSWORD, ...(role === 'operator' ? { communities: 'all' as const } : {}) }, root);
    secrets.set(u.email, u.totpEnrollment!.secret);
    const { password_hash: hash } = (await admin.query('SELECT password_hash FROM app_user WHERE id = $1', [u.id])).rows[0];
    return { ...u, hash: hash as string };
  };
  const state = async (id: string) => {
    const r = (await admin.query('SELECT failed_logins, locked_until FROM app_user WHERE id = $1', [id])).rows[0];
    return { failedLogins: r.failed_logins as number, lockedUntil: r.locked_until as Date | null };
  };
  const attempt = (address: string, password: string) =>
    signIn(p, { email: address, password, ...(secrets.has(address) ? { code: totpCode(secrets.get(address)!, clock.now()) } : {}) }).then(() => 'signed-in' as const, (e: Error) => {
      if (e.message !== SIGN_IN_REFUSED) throw e;
      return 'refused' as const;
    });

  it(`lets at most ${LOCK_AFTER_FAILURES} of 16 simultaneous attempts check the password, in any order, and ends locked unless the right password held the last place before the lock`, async () => {
    for (let round = 0; round < 4; round++) {
      const u = await account(`burst${round}`);
      verifications.length = 0;
      const passwords = shuffled([PASSWORD, ...Array.from({ length: 15 }, (_, i) => `${WRONG}${i}`)]);
      gate = new VerificationGate(passwords.length);
      const outcomes = await Promise.all(passwords.map((pw) => attempt(u.email, pw)));
      const right = outcomes[passwords.indexOf(PASSWORD)];
      const checked = verifications.filter((v) => v.hash === u.hash);
      // every attempt spent one verification; only those holding a place in the count used the account's hash
      expect(verifications).toHaveLength(passwords.length);
      expect(checked).toHaveLength(LOCK_AFTER_FAILURES);
      expect(outcomes.filter((o) => o === 'signed-in').length).toBe(right === 'signed-in' ? 1 : 0);
      const after = await state(u.id);
      if (right === 'signed-in') {
        // only as the last place before the lock: the lock it set is its own, and a success resets the count
        expect(checked.map((v) => v.password)).toContain(PASSWORD);
        expect(after).toEqual({ failedLogins: 0, lockedUntil: null });
      } else {
        expect(after.failedLogins).toBe(LOCK_AFTER_FAILURES);
        expect(after.lockedUntil!.getTime()).toBe(clock.now().getTime() + LOCK_SECONDS * 1000);
        expect(await attempt(u.email, PASSWORD)).toBe('refused');
      }
    }
  });

  it('refuses the right password that arrives once the limit is reached, while the wrong ones are still being checked', async () => {
    const u = await account('late');
    gate = new VerificationGate(LOCK_AFTER_FAILURES + 1);
    const wrong = Array.from({ length: LOCK_AFTER_FAILURES }, (_, i) => attempt(u.email, `${WRONG}${i}`));
    await gate.reached(LOCK_AFTER_FAILURES);
    // every wrong attempt holds its place and is inside its (held) check: none has failed yet
    expect(verifications.filter((v) => v.hash === u.hash)).toHaveLength(LOCK_AFTER_FAILURES);
    const right = attempt(u.email, PASSWORD);
    expect(await Promise.all(wrong)).toEqual(Array(LOCK_AFTER_FAILURES).fill('refused'));
    expect(await right).toBe('refused');
    expect(verifications.filter((v) => v.hash === u.hash).map((v) => v.password)).not.toContain(PASSWORD);
    expect((await state(u.id)).lockedUntil).not.toBeNull();
    const reasons = (await admin.query(`SELECT data->>'reason' AS reason FROM audit_event WHERE action = 'user.sign-in-refused' AND subject_id = $1 ORDER BY seq`, [u.id])).rows;
    expect(reasons.map((r) => r.reason).sort()).toEqual([...Array(LOCK_AFTER_FAILURES).fill('password'), 'locked'].sort());
  });

  it('refuses an in-flight right password when others lock the account before it finishes', async () => {
    const u = await account('inflight');
    gate = new VerificationGate(LOCK_AFTER_FAILURES);
    const right = attempt(u.email, PASSWORD);
    await gate.reached(1);
    const wrong = Array.from({ length: LOCK_AFTER_FAILURES - 1 }, (_, i) => attempt(u.email, `${WRONG}${i}`));
    expect(await right).toBe('refused');
    expect(await Promise.all(wrong)).toEqual(Array(LOCK_AFTER_FAILURES - 1).fill('refused'));
    expect(await state(u.id)).toMatchObject({ failedLogins: LOCK_AFTER_FAILURES });
  });

  it('one attempt at a time: a right password after wrong ones signs in and resets the count, also as the last try before the lock', async () => {
    const u = await account('serial');
    for (let i = 0; i < 3; i++) expect(await attempt(u.email, WRONG)).toBe('refused');
    expect(await state(u.id)).toEqual({ failedLogins: 3, lockedUntil: null });
    expect(await attempt(u.email, PASSWORD)).toBe('signed-in');
    expect(await state(u.id)).toEqual({ failedLogins: 0, lockedUntil: null });
    clock.advance(30_000); // the next success needs the next code: a code is accepted once
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) expect(await attempt(u.email, WRONG)).toBe('refused');
    expect(await attempt(u.email, PASSWORD)).toBe('signed-in');
    expect(await state(u.id)).toEqual({ failedLogins: 0, lockedUntil: null });
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await attempt(u.email, WRONG)).toBe('refused');
    expect(await attempt(u.email, PASSWORD)).toBe('refused');
    // once a lock runs out, each failure locks again: one guess per lock period, not a fresh count
    clock.advance(LOCK_SECONDS * 1000 + 1000);
    expect(await attempt(u.email, WRONG)).toBe('refused');
    expect(await state(u.id)).toEqual({ failedLogins: LOCK_AFTER_FAILURES + 1, lockedUntil: new Date(clock.now().getTime() + LOCK_SECONDS * 1000) });
    expect(await attempt(u.email, PASSWORD)).toBe('refused');
    clock.advance(LOCK_SECONDS * 1000 + 1000);
    expect(await attempt(u.email, PASSWORD)).toBe('signed-in');
    expect(await state(u.id)).toEqual({ failedLogins: 0, lockedUntil: null });
  });

  it('spends the same work on an unknown, a known, a TOTP, a locked and a disabled account: one argon2 verification at the same cost and the same SQL', async () => {
    const known = await account('known');
    const operator = await account('totp', 'operator');
    const locked = await account('locked');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await attempt(locked.email, WRONG);
    const disabled = await account('disabled');
    await manageUser(p, (await p.db.identity.findUser(disabled.id))!, 'disable', root);
    const cases: Record<string, { email: string; password: string }> = {
      unknown: { email: email('nobody'), password: WRONG },
      known: { email: known.email, password: WRONG },
      totp: { email: operator.email, password: WRONG },
      locked: { email: locked.email, password: WRONG },
      'locked, right password': { email: locked.email, password: PASSWORD },
      disabled: { email: disabled.email, password: WRONG },
      'disabled, right password': { email: disabled.email, password: PASSWORD },
      'no e-mail': { email: '', password: WRONG },
      'unknown, overlong password': { email: email('nobody'), password: 'x'.repeat(300) },
      'known, overlong password': { email: known.email, password: 'x'.repeat(300) },
    };
    const observe = async (c: { email: string; password: string }) => {
      verifications.length = 0;
      statements = [];
      expect(await attempt(c.email, c.password)).toBe('refused');
      const seen = { statements, verifications: verifications.map((v) => ({ params: v.hash.slice(0, HASH_PARAMS.length), password: v.password })) };
      statements = null;
      return seen;
    };
    // a first pass warms the pool's connections and the decoy hash, so both passes compare alike
    for (const c of Object.values(cases)) await observe(c);
    const baseline = await observe(cases.unknown);
    expect(baseline.verifications).toEqual([{ params: HASH_PARAMS, password: WRONG }]);
    expect(baseline.statements.length).toBeGreaterThan(0);
    for (const [name, c] of Object.entries(cases)) {
      const seen = await observe(c);
      expect({ name, statements: seen.statements }).toEqual({ name, statements: baseline.statements });
      expect({ name, verifications: seen.verifications }).toEqual({ name, verifications: [{ params: HASH_PARAMS, password: c.password }] });
    }
  });
});
