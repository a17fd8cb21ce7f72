// The operator changes a community's policy: the fields given, the others kept. The whole policy is
// checked as at creation; requireRsaChain is refused while any CA of the community has an EC key (the
// chain it asks for cannot exist). Certificates already issued keep what they were issued under; the
// next issuance, CRL and community document follow the new policy. Audited with before and after.
import type { CommunityPolicy } from '@anchorage/contracts';
import type { CommunityRecord } from '@anchorage/db';
import { enforceCaKeyPolicy } from './ca-key-policy';
import { policyErrors } from './community-input';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'repository'>;

/** The policy of a community record, as the wire names it. */
export function policyOf(c: CommunityRecord): CommunityPolicy {
  return {
    allowedLeafKeyTypes: c.allowedLeafKeyTypes, maxLeafValidityDays: c.maxLeafValidityDays, crlLifetimeSeconds: c.crlLifetimeSeconds,
    allowGeneratedKeys: c.allowGeneratedKeys, requireEndpointControl: c.requireEndpointControl, autoApproveVerifiedRequests: c.autoApproveVerified,
    requireRsaChain: c.requireRsaChain,
  };
}

/** Sets the policy fields of `change` on a community (operators of that community); a refusal changes nothing. */
export async function updateCommunityPolicy(deps: Deps, communityId: string, change: Partial<CommunityPolicy>, actor: Actor): Promise<CommunityRecord> {
  if (Object.keys(change).length === 0) throw new DomainError('validation', 'give at least one policy field to change', { errors: [{ field: 'policy', message: 'is empty' }] });
  const updated = await deps.db.transaction(async (tx) => {
    const before = await tx.communities.find(communityId);
    if (!before) return null;
    const old = policyOf(before);
    const policy: CommunityPolicy = { ...old, ...change };
    const errors = policyErrors(policy);
    if (errors.length) throw new DomainError('validation', `the policy is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, { errors });
    const cas = await tx.cas.ofCommunity(communityId);
    enforceCaKeyPolicy(policy, cas.map((ca) => ({ what: `${ca.role} CA`, field: 'policy.requireRsaChain', keyType: ca.keyType })));
    const after = await tx.communities.setPolicy(communityId, {
      allowedLeafKeyTypes: policy.allowedLeafKeyTypes, maxLeafValidityDays: policy.maxLeafValidityDays, crlLifetimeSeconds: policy.crlLifetimeSeconds,
      allowGeneratedKeys: policy.allowGeneratedKeys, requireEndpointControl: policy.requireEndpointControl === true,
      autoApproveVerified: policy.autoApproveVerifiedRequests === true, requireRsaChain: policy.requireRsaChain === true,
    });
    const changed = (Object.keys(policy) as (keyof CommunityPolicy)[]).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(policy[k]));
    await tx.audit.append({
      at: deps.clock.now(), actor: actor.id, action: 'community.policy-updated', subjectType: 'community', subjectId: communityId,
      data: { changed, before: { ...old }, after: { ...policy } },
    });
    return after;
  });
  if (!updated) throw notFound('community', communityId);
  // the community document carries the policy
  deps.repository.communityChanged(communityId);
  return updated;
}
