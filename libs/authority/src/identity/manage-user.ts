// An operator disables, re-enables or unlocks an account. The same rule as creating one: operators
// and auditors are managed only by an operator of every community; a member admin by an operator of
// its organization's community. Nobody disables themselves (a lone operator cannot lock everyone out).
import type { UserView } from '@anchorage/contracts';
import type { UserRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { runsAllCommunities } from './create-user';
import { userView } from './user-view';

type Deps = Pick<AuthorityDeps, 'db' | 'clock'>;

export async function mayManage(deps: Deps, actor: Actor, u: UserRecord): Promise<void> {
  if (runsAllCommunities(actor)) return;
  if (u.role === 'member-admin' && u.organizationId) {
    const org = await deps.db.organizations.find(u.organizationId);
    if (org && (actor.communityIds ?? []).includes(org.communityId)) return;
  }
  throw new DomainError('forbidden', `you may not manage this ${u.role}`);
}

const AUDIT_ACTION = { disable: 'user.disabled', enable: 'user.enabled', unlock: 'user.unlocked' } as const;

/** What to do to an account. */
export type UserAction = 'disable' | 'enable' | 'unlock';

/** Disables (ending its sessions), re-enables or unlocks an account; audited. */
export async function manageUser(deps: Deps, u: UserRecord, action: UserAction, actor: Actor): Promise<UserView> {
  await mayManage(deps, actor, u);
  if (action === 'disable' && u.id === actor.userId) throw new DomainError('conflict', 'you cannot disable your own account');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (action === 'disable') await tx.identity.setDisabled(u.id, now);
    else if (action === 'enable') await tx.identity.setDisabled(u.id, null);
    else await tx.identity.unlock(u.id);
    await tx.audit.append({ at: now, actor: actor.id, action: AUDIT_ACTION[action], subjectType: 'user', subjectId: u.id, data: {} });
  });
  return userView((await deps.db.identity.findUser(u.id))!);
}
