// A new HMAC secret for a subscription, answered this once; deliveries from now on are signed with
// it (a retry of an earlier delivery too: the signature is computed at each attempt).
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { loadSubscription } from './access';
import { newSubscriptionSecret } from './secrets';

/** Replaces the secret of subscription `id` (see the file comment). */
export async function rotateRevocationSubscriptionSecret(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>, id: string, actor: Actor,
): Promise<{ subscription: RevocationSubscriptionRecord; secret: string }> {
  await loadSubscription(deps, actor, id);
  const { secret, sealed } = newSubscriptionSecret(deps, id);
  await deps.db.transaction(async (tx) => {
    if (!(await tx.revocationSubscriptions.replaceSecret(id, sealed, deps.clock.now()))) throw new DomainError('invalid-transition', `revocation subscription ${id} is cancelled`);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'revocation-subscription.secret-rotated', subjectType: 'revocation-subscription', subjectId: id, data: {} });
  });
  return { subscription: (await deps.db.revocationSubscriptions.find(id))!, secret };
}
