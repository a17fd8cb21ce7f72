// What an operator's irreversible decisions would do, read before making them: suspending an
// organization (its certificates a bulk revocation would revoke), approving one (the SAN URIs bound
// to it for good and whether each passed its endpoint-control check), retiring an issuing CA or
// declaring it compromised (everything it issued, and who revokes its own certificate). Read-only;
// the counts come from the partial indexes on unrevoked certificates (certificate-store.ts).
import type { CaImpactView, OrganizationImpactView, SanUriImpact } from '@anchorage/contracts';
import { isEndpointCheckFailure } from '@anchorage/contracts';
import type { CaRecord, OrganizationRecord } from '@anchorage/db';
import type { AuthorityDeps } from './deps';
import { isExternalCa } from './external-ca';

type Deps = Pick<AuthorityDeps, 'db' | 'clock'>;

/** The impact of suspending, approving or rejecting an organization (see the file comment). */
export async function organizationImpact(deps: Deps, org: OrganizationRecord): Promise<OrganizationImpactView> {
  const at = deps.clock.now();
  const [certificates, checks] = await Promise.all([
    deps.db.certificates.unrevokedCounts({ organizationId: org.id }, at),
    deps.db.onboarding.listEndpointChecks(org.id),
  ]);
  const byUri = new Map(checks.map((c) => [c.uri, c]));
  const bound = new Set(org.sanUris);
  // the SAN URIs an approval binds (the profile's), then any bound without being requested
  const uris = [...new Set([...(org.profile.requestedSanUris ?? []), ...org.sanUris])];
  const sanUris: SanUriImpact[] = uris.map((uri) => {
    const c = byUri.get(uri);
    return {
      uri, alreadyBound: bound.has(uri),
      check: c ? c.status : 'never-checked',
      lastError: c?.status === 'failed' ? (c.lastError !== null && isEndpointCheckFailure(c.lastError) ? c.lastError : 'unknown') : null,
      checkedAt: c?.checkedAt?.toISOString() ?? null,
    };
  });
  return { organizationId: org.id, name: org.name, status: org.status, at: at.toISOString(), certificates, profileRevision: org.profileRevision, sanUris };
}

/** The impact of retiring an issuing CA or declaring it compromised (see the file comment). */
export async function caImpact(deps: Deps, ca: CaRecord): Promise<CaImpactView> {
  const at = deps.clock.now();
  const [certificates, parent] = await Promise.all([
    deps.db.certificates.unrevokedCounts({ issuerId: ca.id }, at),
    ca.parentId ? deps.db.cas.find(ca.parentId) : Promise.resolve(null),
  ]);
  const offline = parent ? isExternalCa(parent) : false;
  return {
    caId: ca.id, subject: ca.subject, role: ca.role, status: ca.status, at: at.toISOString(), certificates,
    parent: parent ? { id: parent.id, subject: parent.subject, offline } : null,
    revokedOnParentCrl: parent !== null && !offline,
  };
}
