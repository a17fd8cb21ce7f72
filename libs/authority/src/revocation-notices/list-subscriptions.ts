// The subscriptions a caller may see: an operator's communities' (all for an API token), a member
// admin's own organization's, every one for an auditor. Cancelled ones are listed only when asked
// for by status.
import type { ListOrder, RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';

/** Filter of the list (each optional). */
export interface SubscriptionListFilter {
  communityId?: string;
  organizationId?: string;
  status?: string;
}

/** Lists subscriptions within the caller's scope (see the file comment). */
export async function listRevocationSubscriptions(
  deps: Pick<AuthorityDeps, 'db'>, actor: Actor, f: SubscriptionListFilter, skip: number, take: number, order?: ListOrder,
): Promise<{ items: RevocationSubscriptionRecord[]; total: number }> {
  if (actor.role === 'member-admin') {
    // a member admin asking for another organization's sees none, like one that does not exist
    if (!actor.organizationId || (f.organizationId && f.organizationId !== actor.organizationId)) return { items: [], total: 0 };
    return deps.db.revocationSubscriptions.list({ ...f, organizationId: actor.organizationId }, skip, take, order);
  }
  const communityIds = actor.role === 'operator' ? actor.communityIds : undefined;
  return deps.db.revocationSubscriptions.list({ ...f, communityIds }, skip, take, order);
}
