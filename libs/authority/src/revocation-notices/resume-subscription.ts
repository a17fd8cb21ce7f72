// Resuming a subscription paused by a person or by the platform after repeated failures: notices are
// recorded for it again from the next CRL on, and its consecutive failures start from zero.
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { loadSubscription } from './access';

/** Resumes subscription `id` (idempotent for an active one). */
export async function resumeRevocationSubscription(deps: Pick<AuthorityDeps, 'db' | 'clock'>, id: string, actor: Actor): Promise<RevocationSubscriptionRecord> {
  const s = await loadSubscription(deps, actor, id);
  if (s.status === 'cancelled') throw new DomainError('invalid-transition', `revocation subscription ${id} is cancelled`);
  if (s.status === 'active') return s;
  return deps.db.transaction(async (tx) => {
    const resumed = await tx.revocationSubscriptions.transition(id, ['paused'], 'active', null, deps.clock.now());
    if (!resumed) throw new DomainError('conflict', `revocation subscription ${id} changed meanwhile; try again`);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'revocation-subscription.resumed', subjectType: 'revocation-subscription', subjectId: id, data: { pausedReason: s.pausedReason } });
    return resumed;
  });
}
