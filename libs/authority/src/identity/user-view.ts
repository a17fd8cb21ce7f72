import type { UserRecord } from '@anchorage/db';
import type { UserView } from '@anchorage/contracts';

/** The API's view of a user: no hash, no secret. */
export function userView(u: UserRecord): UserView {
  return {
    id: u.id, email: u.email, displayName: u.displayName, role: u.role, organizationId: u.organizationId,
    communities: u.role !== 'operator' ? [] : u.allCommunities ? 'all' : u.communityIds,
    totpEnabled: u.totpEnabledAt !== null, lockedUntil: u.lockedUntil ? u.lockedUntil.toISOString() : null,
    disabled: u.disabledAt !== null, createdAt: u.createdAt.toISOString(),
  };
}
