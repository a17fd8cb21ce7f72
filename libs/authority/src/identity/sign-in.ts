// Sign-in with e-mail, password and (where enabled, and always for operators) a TOTP code. Every
// refusal is the same 401 whatever failed (no account, wrong password, wrong or replayed code, lock),
// so the answer never tells whether an account exists (OWASP Authentication Cheat Sheet). Repeated
// failures lock the account for a while; the API also limits attempts per client address.
import type { UserRecord } from '@anchorage/db';
import type { AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from './keys';
import { verifyPassword } from './passwords';
import { startSession, type IssuedSession } from './sessions';
import { matchTotp } from './totp';

/** Failures in a row that lock an account. */
export const LOCK_AFTER_FAILURES = 5;
/** How long a lock lasts. */
export const LOCK_SECONDS = 15 * 60;
/** The one message of every refused sign-in. */
export const SIGN_IN_REFUSED = 'the e-mail address, password or code is not correct, or sign-in is paused after repeated failures; try again later';

/** What a person types to sign in. */
export interface SignInInput {
  email: string;
  password: string;
  /** The 6-digit code of the authenticator app, where TOTP is enabled. */
  code?: string;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>;

async function secondFactorPasses(deps: Deps, user: UserRecord, code: string | undefined): Promise<boolean> {
  if (!user.totpEnabledAt || !user.totpSecretSealed) return user.role !== 'operator'; // operators must have TOTP
  const secret = identityKeys(deps).totpBox.open(user.totpSecretSealed, user.id);
  const step = matchTotp(secret, String(code ?? ''), deps.clock.now());
  return step !== null && (await deps.db.identity.useTotpStep(user.id, step));
}

/** Signs in; any failure is DomainError 'unauthorized' with SIGN_IN_REFUSED. */
export async function signIn(deps: Deps, input: SignInInput): Promise<IssuedSession> {
  identityKeys(deps);
  const email = typeof input?.email === 'string' ? input.email.trim().toLowerCase() : '';
  const password = typeof input?.password === 'string' ? input.password : '';
  const now = deps.clock.now();
  const user = email ? await deps.db.identity.findUserByEmail(email) : null;
  // the password is always checked (a decoy hash when there is no account): equal time either way
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, password);
  const refused = (reason: string, data: Record<string, unknown> = {}) =>
    deps.db.appendAudit({ at: now, actor: `user:${email}:${user?.id ?? 'unknown'}`, action: 'user.sign-in-refused', subjectType: 'user', subjectId: user?.id ?? email, data: { reason, ...data } });
  if (!user) {
    throw new DomainError('unauthorized', SIGN_IN_REFUSED);
  }
  if (user.disabledAt || (user.lockedUntil && user.lockedUntil > now)) {
    await refused(user.disabledAt ? 'disabled' : 'locked');
    throw new DomainError('unauthorized', SIGN_IN_REFUSED);
  }
  if (!passwordOk || !(await secondFactorPasses(deps, user, input.code))) {
    const failures = await deps.db.identity.recordSignInFailure(user.id, LOCK_AFTER_FAILURES, new Date(now.getTime() + LOCK_SECONDS * 1000));
    await refused(passwordOk ? 'code' : 'password', { failures, locked: failures >= LOCK_AFTER_FAILURES });
    throw new DomainError('unauthorized', SIGN_IN_REFUSED);
  }
  await deps.db.identity.recordSignInSuccess(user.id);
  const session = await startSession(deps, { ...user, failedLogins: 0, lockedUntil: null });
  await deps.db.appendAudit({ at: now, actor: `user:${user.email}:${user.id}`, action: 'user.signed-in', subjectType: 'user', subjectId: user.id, data: { secondFactor: user.totpEnabledAt !== null } });
  return session;
}
