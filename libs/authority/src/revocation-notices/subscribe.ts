// Subscribing a relying server to a community's revocations (trust-community layer, item 5). The
// callback URL is checked by the outbound guard's rules (https unless the deployment is a test or
// development one, no credentials, no non-public address literal) and again at each delivery, when
// its name is resolved. The HMAC secret is generated here and answered this once.
import { randomUUID } from 'node:crypto';
import type { RevocationSubscriptionRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { checkUrl } from '../notices/webhooks';
import { newSubscriptionSecret } from './secrets';

/** What a subscription asks for; operators name a relying party or an organization, member admins neither (their own organization). */
export interface SubscribeInput {
  communityId: string;
  callbackUrl: unknown;
  relyingParty?: string;
  organizationId?: string;
}

/** A new subscription and its secret, shown this once. */
export interface Subscribed {
  subscription: RevocationSubscriptionRecord;
  secret: string;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys' | 'outbound'>;

const invalid = (field: string, message: string) => new DomainError('validation', `${field} ${message}`, { errors: [{ field, message }] });

/** Subscribes a callback to a community's revocation notices (see the file comment); nothing is written when any input is refused. */
export async function subscribeToRevocations(deps: Deps, input: SubscribeInput, actor: Actor): Promise<Subscribed> {
  const callbackUrl = checkUrl(deps.outbound, input.callbackUrl, 'callbackUrl');
  // a community the caller cannot see is as unknown as one that does not exist
  const community = await deps.db.communities.find(input.communityId);
  const visible = community && (actor.role !== 'operator' || !actor.communityIds || actor.communityIds.includes(community.id));
  if (!community || !visible) throw invalid('communityId', 'must name a community you run');
  let organizationId: string | null = null;
  let relyingParty: string | null = null;
  if (actor.role === 'member-admin') {
    if (input.relyingParty !== undefined) throw invalid('relyingParty', 'is registered by an operator; a member subscribes for its own organization');
    if (input.organizationId !== undefined && input.organizationId !== actor.organizationId) throw invalid('organizationId', 'must be your own organization');
    organizationId = actor.organizationId ?? null;
  } else if (actor.role === 'operator' || actor.role === 'system') {
    if ((input.relyingParty === undefined) === (input.organizationId === undefined)) {
      throw invalid('relyingParty', 'give either relyingParty (a relying party you register) or organizationId (a member organization), not both');
    }
    if (input.relyingParty !== undefined) {
      relyingParty = input.relyingParty.trim();
      if (relyingParty.length < 1 || relyingParty.length > 200) throw invalid('relyingParty', 'must be a name of 1 to 200 characters');
    } else organizationId = input.organizationId!;
  } else {
    throw new DomainError('forbidden', `a ${actor.role} cannot subscribe to revocations`);
  }
  if (organizationId) {
    const org = await deps.db.organizations.find(organizationId);
    if (!org || org.communityId !== community.id) throw invalid('organizationId', 'must be an organization of the community');
  }
  const id = randomUUID();
  const { secret, sealed } = newSubscriptionSecret(deps, id);
  const now = deps.clock.now();
  const subscription = await deps.db.transaction(async (tx) => {
    const created = await tx.revocationSubscriptions.create({
      id, communityId: community.id, ownerType: organizationId ? 'organization' : 'relying-party', organizationId, relyingParty, callbackUrl, secretSealed: sealed,
      createdBy: actor.id, at: now,
    });
    await tx.audit.append({
      at: now, actor: actor.id, action: 'revocation-subscription.created', subjectType: 'revocation-subscription', subjectId: id,
      data: { communityId: community.id, callbackUrl, organizationId, relyingParty },
    });
    return created;
  });
  return { subscription, secret };
}
