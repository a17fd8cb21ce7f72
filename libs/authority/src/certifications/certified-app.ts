// What makes an app certifiable (docs/certifications.md): its organization is an active member of the
// community, and its client URI (a certification's sub) is a SAN URI bound to that organization and of at
// least one of its live udap-client certificates. Checked before a certification is signed or recorded.
import type { OrganizationRecord } from '@anchorage/db';
import type { AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';

/** The app's organization: a member of `communityId` (not-found otherwise), active (organization-inactive otherwise). */
export async function appOrganization(deps: Pick<AuthorityDeps, 'db'>, communityId: string, organizationId: string): Promise<OrganizationRecord> {
  const app = await deps.db.organizations.find(organizationId);
  if (!app || app.communityId !== communityId) throw notFound('organization', organizationId);
  if (app.status !== 'active') throw new DomainError('organization-inactive', `organization ${app.id} is ${app.status}; only active members' apps are certified`);
  return app;
}

/** Throws certification-invalid unless `sub` is a client URI of `app` with a live udap-client certificate at `now`. */
export async function checkCertifiedApp(deps: Pick<AuthorityDeps, 'db'>, app: OrganizationRecord, sub: string, now: Date): Promise<void> {
  const owners = await deps.db.organizations.sanOwners(app.communityId, [sub]);
  if (owners[0]?.organizationId !== app.id) {
    throw new DomainError('certification-invalid', `sub "${sub}" is not a SAN URI of organization ${app.id}`, { problems: [] });
  }
  const live = (await deps.db.certificates.list({ organizationId: app.id, san: sub, status: 'issued' }, 0, 1000)).items
    .filter((c) => c.profile === 'udap-client' && c.notBefore <= now && c.notAfter > now);
  if (live.length === 0) {
    throw new DomainError('certification-invalid', `organization ${app.id} has no live udap-client certificate for sub "${sub}"`, { problems: [] });
  }
}
