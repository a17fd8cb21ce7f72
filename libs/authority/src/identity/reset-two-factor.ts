// An operator resets a user's second factor (a lost phone): the old TOTP secret, its recovery codes and
// every session of the account end at once. Where the role requires two-factor (operators, auditors), a new secret is
// made and shown this once to the operator, who hands it over like at account creation; a member
// admin simply has none until they set it up again. The same management rule as disabling.
import { requiresTwoFactor, type CreatedUserView } from '@anchorage/contracts';
import type { UserRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from './keys';
import { mayManage } from './manage-user';
import { issueRecoveryCodes } from './recovery-codes';
import { newTotpSecret, otpauthUri } from './totp';
import { userView } from './user-view';

/** Resets the second factor of `u`; audited as user.two-factor-reset. */
export async function resetTwoFactor(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>, u: UserRecord, actor: Actor): Promise<CreatedUserView> {
  const keys = identityKeys(deps);
  await mayManage(deps, actor, u);
  if (u.id === actor.userId) throw new DomainError('conflict', 'you cannot reset your own two-factor authentication: ask another operator');
  if (!requiresTwoFactor(u.role) && !u.totpEnabledAt) {
    throw new DomainError('conflict', `${u.email} has no two-factor authentication to reset`);
  }
  const now = deps.clock.now();
  const secret = requiresTwoFactor(u.role) ? newTotpSecret() : null;
  const recoveryCodes = await deps.db.transaction(async (tx) => {
    await tx.identity.setTotp(u.id, secret ? keys.totpBox.seal(secret, u.id) : null, secret ? now : null);
    // the old recovery codes end with the old secret; a new secret comes with new ones
    const codes = secret ? await issueRecoveryCodes(tx, u.id, now) : [];
    if (!secret) await tx.identity.replaceRecoveryCodes(u.id, [], now);
    await tx.identity.endSessions(u.id, now);
    await tx.audit.append({ at: now, actor: actor.id, action: 'user.two-factor-reset', subjectType: 'user', subjectId: u.id, data: { newSecret: secret !== null } });
    return codes;
  });
  const user = (await deps.db.identity.findUser(u.id))!;
  return { ...userView(user), totpEnrollment: secret ? { secret, otpauthUri: otpauthUri('Anchorage', u.email, secret), recoveryCodes } : null };
}
