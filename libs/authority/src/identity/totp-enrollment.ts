// TOTP for users whose role does not require it (member admins, auditors): a pending secret is
// stored sealed, and only a correct code from the app turns it on, so nobody is locked out by a
// secret their app never received.
import type { RecoveryCodesView } from '@anchorage/contracts';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from './keys';
import { issueRecoveryCodes, RECOVERY_CODE_COUNT } from './recovery-codes';
import { matchTotp, newTotpSecret, otpauthUri } from './totp';

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>;

async function signedInUser(deps: Deps, actor: Actor) {
  const user = actor.userId ? await deps.db.identity.findUser(actor.userId) : null;
  if (!user) throw new DomainError('forbidden', 'only a signed-in user has a second factor (API tokens do not)');
  return user;
}

/** Starts (or restarts) enrollment: a new secret, shown once, not yet required at sign-in. */
export async function beginTotpEnrollment(deps: Deps, actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
  const keys = identityKeys(deps);
  const user = await signedInUser(deps, actor);
  if (user.totpEnabledAt) throw new DomainError('conflict', 'TOTP is already enabled for this account');
  const secret = newTotpSecret();
  await deps.db.identity.setTotp(user.id, keys.totpBox.seal(secret, user.id), null);
  return { secret, otpauthUri: otpauthUri('Anchorage', user.email, secret) };
}

/** Turns TOTP on once the app shows a matching code; from then on sign-in asks for a code. Answers its recovery codes, to show once. */
export async function confirmTotpEnrollment(deps: Deps, actor: Actor, code: unknown): Promise<RecoveryCodesView> {
  const keys = identityKeys(deps);
  const user = await signedInUser(deps, actor);
  if (user.totpEnabledAt) throw new DomainError('conflict', 'TOTP is already enabled for this account');
  if (!user.totpSecretSealed) throw new DomainError('conflict', 'start TOTP enrollment first');
  const now = deps.clock.now();
  const step = matchTotp(keys.totpBox.open(user.totpSecretSealed, user.id), String(code ?? ''), now);
  if (step === null || !(await deps.db.identity.useTotpStep(user.id, step))) {
    throw new DomainError('validation', 'the code does not match: check the time on your device and enter the current code', { field: 'code' });
  }
  const recoveryCodes = await deps.db.transaction(async (tx) => {
    await tx.identity.setTotp(user.id, user.totpSecretSealed, now, step);
    await tx.audit.append({ at: now, actor: actor.id, action: 'user.totp-enabled', subjectType: 'user', subjectId: user.id, data: {} });
    return issueRecoveryCodes(tx, user.id, now);
  });
  return { recoveryCodes, remaining: recoveryCodes.length, total: RECOVERY_CODE_COUNT };
}
