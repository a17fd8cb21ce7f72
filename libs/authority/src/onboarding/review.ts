// The organization lifecycle after the invitation: the member submits its profile (each submission
// is the profile's next revision); an operator approves the revision it reviewed (its requested SAN
// URIs are bound to the organization for good, and it becomes active), or rejects it with a reason
// (the member may correct and submit again); an operator may later suspend an active organization
// (no more certificates, and its live ones revoked by the worker's bulk revocation) and reinstate it.
// Each step is one conditional transition plus its audit event.
import type { OrganizationStatus } from '@anchorage/contracts';
import { randomUUID } from 'node:crypto';
import { DbConflictError, type BulkRevocationRecord, type OrganizationRecord } from '@anchorage/db';
import { bulkReason, queueBulkRevocation } from '../bulk-revocation';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { recordStateNotice } from '../notices/state-notices';
import { validateProfile } from './profile';

type Deps = Pick<AuthorityDeps, 'db' | 'clock'> & Partial<Pick<AuthorityDeps, 'repository'>>;

function reasonOf(reason: unknown): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (!r || r.length > 1000) throw new DomainError('validation', 'reason is required (1 to 1000 characters)', { errors: [{ field: 'reason', message: 'is required' }] });
  return r;
}

function revisionOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new DomainError('validation', 'profileRevision is required: the revision of the profile you reviewed (GET /organizations/{id} answers it)', {
      errors: [{ field: 'profileRevision', message: 'must be the revision of the reviewed profile (an integer from 1)' }],
    });
  }
  return v;
}

function profileChanged(id: string, reviewed: number, current: number): DomainError {
  return new DomainError(
    'profile-changed',
    `the profile of organization ${id} changed: it was submitted again (revision ${current}) after revision ${reviewed}, the one reviewed; review revision ${current} and decide again`,
    { profileRevision: current },
  );
}

/** Why a conditional transition matched no row: the profile was submitted again, or the status moved on. */
async function refusal(tx: Deps['db'], org: OrganizationRecord, when: { profileRevision?: number }): Promise<DomainError> {
  const now = await tx.organizations.find(org.id);
  if (when.profileRevision !== undefined && now && now.status === org.status && now.profileRevision !== when.profileRevision) {
    return profileChanged(org.id, when.profileRevision, now.profileRevision);
  }
  return new DomainError('invalid-transition', `organization ${org.id} changed meanwhile; reload it and try again`);
}

async function move(
  deps: Deps, org: OrganizationRecord, from: OrganizationStatus[], to: OrganizationStatus, actor: Actor, action: string,
  set: Parameters<Deps['db']['onboarding']['transition']>[3], data: Record<string, unknown>, before?: (tx: Deps['db']) => Promise<void>,
  when: { profileRevision?: number } = {},
): Promise<OrganizationRecord> {
  if (!from.includes(org.status)) {
    throw new DomainError('invalid-transition', `organization ${org.id} is ${org.status}; this needs it to be ${from.join(' or ')}`, { status: org.status });
  }
  const now = deps.clock.now();
  try {
    await deps.db.transaction(async (tx) => {
      await before?.(tx);
      if (!(await tx.onboarding.transition(org.id, from, to, set, when))) throw await refusal(tx, org, when);
      await tx.audit.append({ at: now, actor: actor.id, action, subjectType: 'organization', subjectId: org.id, data: { from: org.status, to, ...data } });
      // the member (or, for a submission, the operators) hears of it once the change commits
      await recordStateNotice(tx, action, {
        subjectType: 'organization', subjectId: org.id, organizationId: org.id, communityId: org.communityId,
        data: Object.fromEntries(Object.entries({ reason: data.reason, revocationReason: data.revocationReason }).filter(([, v]) => v !== undefined && v !== null)),
      });
    });
  } catch (err) {
    if (err instanceof DbConflictError && err.constraint === 'san_binding') throw new DomainError('san-taken', err.message, err.details);
    throw err;
  }
  // an organization entering or leaving `active` enters or leaves the community directory
  if (org.status === 'active' || to === 'active') deps.repository?.communityChanged(org.communityId);
  return (await deps.db.organizations.find(org.id))!;
}

/** The member submits (or, after a rejection, resubmits) its profile for review. */
export async function submitOrganizationProfile(deps: Deps, org: OrganizationRecord, profile: unknown, actor: Actor): Promise<OrganizationRecord> {
  const p = validateProfile(profile);
  // a SAN another organization of the community already holds would block approval: say so now
  const taken = await deps.db.organizations.sanOwners(org.communityId, p.requestedSanUris);
  const foreign = taken.filter((t) => t.organizationId !== org.id);
  if (foreign.length) {
    throw new DomainError('san-taken', `${foreign.map((t) => t.uri).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} bound to another organization of this community`, {
      errors: foreign.map((t) => ({ field: 'requestedSanUris', message: `${t.uri} is bound to another organization` })),
    });
  }
  // conditional on the revision read, so the audit event names the revision this submission made
  return move(deps, org, ['draft', 'rejected', 'submitted'], 'submitted', actor, 'organization.submitted',
    { profile: p, submittedAt: deps.clock.now(), reason: null }, { legalName: p.legalName, requestedSanUris: p.requestedSanUris, profileRevision: org.profileRevision + 1 },
    undefined, { profileRevision: org.profileRevision });
}

/**
 * An operator approves revision `profileRevision` of a submitted organization's profile, the one it
 * reviewed: that revision's requested SAN URIs are bound to the organization and it becomes active.
 * If the member submitted again since (another revision), nothing changes: 'profile-changed'.
 */
export async function approveOrganization(deps: Deps, org: OrganizationRecord, profileRevision: unknown, actor: Actor): Promise<OrganizationRecord> {
  const revision = revisionOf(profileRevision);
  if (org.status === 'submitted' && org.profileRevision !== revision) throw profileChanged(org.id, revision, org.profileRevision);
  const profile = org.profile;
  const sans = profile.requestedSanUris ?? [];
  // the UPDATE is conditional on the revision too: a submission between this read and the commit
  // refuses the approval (and the bindings roll back) instead of activating a profile nobody reviewed
  return move(deps, org, ['submitted'], 'active', actor, 'organization.approved',
    { reviewedAt: deps.clock.now(), reason: null, ...(profile.legalName ? { name: profile.legalName } : {}) }, { sanUris: sans, profileRevision: revision },
    (tx) => tx.organizations.bindSanUris(org.communityId, org.id, sans), { profileRevision: revision });
}

/** An operator rejects a submitted organization, saying why; the member may correct and resubmit. */
export async function rejectOrganization(deps: Deps, org: OrganizationRecord, reason: unknown, actor: Actor): Promise<OrganizationRecord> {
  const r = reasonOf(reason);
  return move(deps, org, ['submitted'], 'rejected', actor, 'organization.rejected', { reviewedAt: deps.clock.now(), reason: r }, { reason: r });
}

/** What a suspension did: the organization, and the bulk revocation of its certificates if one was asked for. */
export type SuspendedOrganization = OrganizationRecord & { bulkRevocation: BulkRevocationRecord | null };

/** How a suspension treats the organization's certificates. */
export interface SuspendOptions {
  /** Revoke every live certificate (default true); false freezes issuance only, e.g. while an incident is investigated. */
  revokeCertificates?: unknown;
  /** RFC 5280 reason for them (BULK_REASONS); default privilegeWithdrawn: the community withdrew the privilege. */
  revocationReason?: unknown;
}

/**
 * An operator suspends an active organization: no certificate is issued to it until reinstated, and
 * unless told otherwise every live certificate it holds is revoked by a bulk revocation recorded in
 * the same transaction (the worker runs it; see bulk-revocation.ts).
 */
export async function suspendOrganization(deps: Deps, org: OrganizationRecord, reason: unknown, actor: Actor, opts: SuspendOptions = {}): Promise<SuspendedOrganization> {
  const r = reasonOf(reason);
  if (opts.revokeCertificates !== undefined && typeof opts.revokeCertificates !== 'boolean') {
    throw new DomainError('validation', 'revokeCertificates must be true or false', { errors: [{ field: 'revokeCertificates', message: 'must be true or false' }] });
  }
  const revoke = opts.revokeCertificates !== false;
  const revocationReason = revoke ? bulkReason(opts.revocationReason, 'privilegeWithdrawn') : null;
  let bulk: BulkRevocationRecord | null = null;
  const suspended = await move(deps, org, ['active'], 'suspended', actor, 'organization.suspended', { reason: r }, { reason: r, revocationReason },
    async (tx) => {
      if (revocationReason) {
        bulk = await queueBulkRevocation(tx, {
          id: randomUUID(), communityId: org.communityId, organizationId: org.id, caId: null, reason: revocationReason, cause: 'organization-suspended', requestedBy: actor.id,
        });
      }
    });
  return { ...suspended, bulkRevocation: bulk };
}

/** An operator reinstates a suspended organization. */
export async function reinstateOrganization(deps: Deps, org: OrganizationRecord, actor: Actor): Promise<OrganizationRecord> {
  return move(deps, org, ['suspended'], 'active', actor, 'organization.reinstated', { reason: null }, {});
}
