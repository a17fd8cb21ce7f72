// Who may manage a revocation subscription: operators any subscription of a community they run,
// member admins those of their own organization; everyone else is told it does not exist (the API
// answers 404 for what a caller may not see, docs/authorization).
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { notFound } from '../errors';

/** True when `actor` may see subscription `s` (auditors read every one). */
export function maySeeSubscription(actor: Actor, s: RevocationSubscriptionRecord): boolean {
  if (actor.role === 'auditor') return true;
  if (actor.role === 'operator') return !actor.communityIds || actor.communityIds.includes(s.communityId);
  if (actor.role === 'member-admin') return !!actor.organizationId && s.organizationId === actor.organizationId;
  return actor.role === 'system';
}

/** Loads subscription `id` if `actor` may see it (cancelled ones too); not-found otherwise. */
export async function loadSubscription(deps: Pick<AuthorityDeps, 'db'>, actor: Actor, id: string): Promise<RevocationSubscriptionRecord> {
  const s = await deps.db.revocationSubscriptions.find(id);
  if (!s || !maySeeSubscription(actor, s)) throw notFound('revocation subscription', id);
  return s;
}
