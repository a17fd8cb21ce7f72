// Ending a subscription: it is kept, cancelled, with its delivery history (the audit log and the
// console show what was sent where); deliveries not yet made are skipped. Idempotent.
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { loadSubscription } from './access';

/** Cancels subscription `id` (see the file comment). */
export async function unsubscribeFromRevocations(deps: Pick<AuthorityDeps, 'db' | 'clock'>, id: string, actor: Actor): Promise<RevocationSubscriptionRecord> {
  const s = await loadSubscription(deps, actor, id);
  if (s.status === 'cancelled') return s;
  return deps.db.transaction(async (tx) => {
    const cancelled = await tx.revocationSubscriptions.transition(id, ['active', 'paused'], 'cancelled', null, deps.clock.now());
    if (!cancelled) throw new DomainError('conflict', `revocation subscription ${id} changed meanwhile; try again`);
    const skipped = await tx.revocationSubscriptions.skipPending(id);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'revocation-subscription.cancelled', subjectType: 'revocation-subscription', subjectId: id, data: { skipped } });
    return cancelled;
  });
}
