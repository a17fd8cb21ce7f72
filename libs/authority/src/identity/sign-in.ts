// Sign-in with e-mail, password and (where enabled, and always for the roles that require it) a TOTP code. Every
// refusal is the same 401 whatever failed (no account, wrong password, wrong or replayed code, lock),
// so the answer never tells whether an account exists (OWASP Authentication Cheat Sheet); nor does
// its cost: every attempt runs the same statements and one argon2 verification at the same
// parameters, against the account's hash or, with no account or a locked one, a decoy.
// Repeated failures lock the account for a while: each attempt takes a place in the account's
// count before its password is checked, so no burst of simultaneous attempts gets more than
// LOCK_AFTER_FAILURES checks. The API also limits attempts per client address.
import { requiresTwoFactor } from '@anchorage/contracts';
import { SignerError } from '@anchorage/signer';
import type { UserRecord } from '@anchorage/db';
import type { AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from './keys';
import { verifyPassword } from './passwords';
import { passkeyPasses, type PasskeyAssertion } from './passkeys';
import { canonicalRecoveryCode, useRecoveryCode } from './recovery-codes';
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
  /** The 6-digit code of the authenticator app, where TOTP is enabled, or one of the user's recovery codes. */
  code?: string;
  /** Or a passkey's answer to a sign-in challenge. */
  passkey?: PasskeyAssertion;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys' | 'urls'>;

/** Longest address kept in the audit of a refusal for an unknown account (RFC 5321 §4.5.3.1.3 path limit). */
const MAX_AUDITED_EMAIL = 254;

/** Whether the second factor passes: none needed, a fresh TOTP code, an unused recovery code ('recovery-code'), or a passkey ('passkey'). */
async function secondFactorPasses(deps: Deps, user: UserRecord, code: string | undefined, passkey: PasskeyAssertion | undefined): Promise<boolean | 'recovery-code' | 'passkey'> {
  if (!user.totpEnabledAt || !user.totpSecretSealed) return !requiresTwoFactor(user.role); // TWO_FACTOR_REQUIRED_ROLES must have TOTP
  if (passkey) return (await passkeyPasses(deps, user, passkey)) && 'passkey';
  if (canonicalRecoveryCode(String(code ?? ''))) return (await useRecoveryCode(deps, user, String(code))) && 'recovery-code';
  let secret: string;
  try {
    secret = identityKeys(deps).totpBox.open(user.totpSecretSealed, user.id);
  } catch (err) {
    if (!(err instanceof SignerError)) throw err;
    throw new DomainError('identity-unavailable', `the TOTP secret of user ${user.id} does not open with this key-encryption key`);
  }
  const step = matchTotp(secret, String(code ?? ''), deps.clock.now());
  return step !== null && (await deps.db.identity.useTotpStep(user.id, step));
}

/** Signs in; any failure is DomainError 'unauthorized' with SIGN_IN_REFUSED. */
export async function signIn(deps: Deps, input: SignInInput): Promise<IssuedSession> {
  identityKeys(deps);
  const email = input.email.trim().toLowerCase();
  const { password } = input;
  const now = deps.clock.now();
  const user = await deps.db.identity.findUserByEmail(email);
  const place = await deps.db.identity.reserveSignInAttempt(user?.id ?? null, now, LOCK_AFTER_FAILURES, new Date(now.getTime() + LOCK_SECONDS * 1000));
  // without a place (no account, locked, disabled) the decoy is verified instead: the same cost
  const passwordOk = await verifyPassword(place === null ? null : user!.passwordHash, password);
  const refuse = async (reason: string, data: Record<string, unknown> = {}): Promise<never> => {
    await deps.db.audit.append({
      at: now, actor: `user:${email.slice(0, MAX_AUDITED_EMAIL)}:${user?.id ?? 'unknown'}`, action: 'user.sign-in-refused', subjectType: 'user',
      subjectId: user?.id ?? email.slice(0, MAX_AUDITED_EMAIL), data: { reason, ...data },
    });
    throw new DomainError('unauthorized', SIGN_IN_REFUSED);
  };
  if (!user) return refuse('unknown');
  if (place === null) return refuse(user.disabledAt ? 'disabled' : 'locked');
  const locked = place >= LOCK_AFTER_FAILURES;
  if (!passwordOk) return refuse('password', { failures: place, locked });
  const second = await secondFactorPasses(deps, user, input.code, input.passkey);
  if (!second) return refuse('code', { failures: place, locked });
  // others may have used up the count while this password was being checked
  if (!(await deps.db.identity.recordSignInSuccess(user.id, place))) return refuse('locked', { failures: place });
  const session = await startSession(deps, { ...user, failedLogins: 0, lockedUntil: null });
  await deps.db.audit.append({ at: now, actor: `user:${user.email}:${user.id}`, action: 'user.signed-in', subjectType: 'user', subjectId: user.id, data: { secondFactor: second === 'recovery-code' || second === 'passkey' ? second : user.totpEnabledAt !== null } });
  return session;
}
