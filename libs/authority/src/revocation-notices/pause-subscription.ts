// Pausing a subscription: no notice is recorded for it while paused, and deliveries not yet made are
// skipped (the receiver tells a gap by previousCrlNumber and fetches the CRL). Idempotent.
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { loadSubscription } from './access';

/** Pauses subscription `id` (see the file comment). */
export async function pauseRevocationSubscription(deps: Pick<AuthorityDeps, 'db' | 'clock'>, id: string, actor: Actor): Promise<RevocationSubscriptionRecord> {
  const s = await loadSubscription(deps, actor, id);
  if (s.status === 'cancelled') throw new DomainError('invalid-transition', `revocation subscription ${id} is cancelled`);
  if (s.status === 'paused') return s;
  return deps.db.transaction(async (tx) => {
    const paused = await tx.revocationSubscriptions.transition(id, ['active'], 'paused', 'manual', deps.clock.now());
    if (!paused) throw new DomainError('conflict', `revocation subscription ${id} changed meanwhile; try again`);
    const skipped = await tx.revocationSubscriptions.skipPending(id);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'revocation-subscription.paused', subjectType: 'revocation-subscription', subjectId: id, data: { skipped } });
    return paused;
  });
}
