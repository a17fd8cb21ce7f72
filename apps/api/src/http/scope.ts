// Which organizations and communities a caller may see or act on (see access.ts). Operators see
// the communities they run (all of them for API tokens), auditors see everything, member admins
// see their own organization, its community and that community's CAs, and nothing else.
import { DomainError, type Actor, type Platform } from '@anchorage/authority';
import type { CaRecord, CertificateRecord, OrganizationRecord } from '@anchorage/db';
import { jobSubject, type JobSubject } from '@anchorage/jobs';

const hidden = (what: string, id: string) => new DomainError('not-found', `${what} ${id} not found`);

/** A queued job, or an outbox row, as scoping reads it: the job's name and payload name its subject. */
export interface ScopedJob {
  name: string;
  data: unknown;
}

/** List restrictions for an actor: undefined fields mean no restriction. */
export interface ListScope {
  communityIds?: string[];
  organizationId?: string;
}

/** Scope checks of one platform. */
export class Scope {
  constructor(private readonly p: Platform) {}

  /** The communities `actor` may see: undefined for all. */
  async communityIdsOf(actor: Actor): Promise<string[] | undefined> {
    if (actor.role === 'member-admin') {
      const org = actor.organizationId ? await this.p.db.organizations.find(actor.organizationId) : null;
      return org ? [org.communityId] : [];
    }
    if (actor.role === 'operator') return actor.communityIds;
    return undefined;
  }

  /** Restrictions for lists. */
  async listScope(actor: Actor): Promise<ListScope> {
    if (actor.role === 'member-admin') return { organizationId: actor.organizationId ?? '00000000-0000-0000-0000-000000000000' };
    return { communityIds: await this.communityIdsOf(actor) };
  }

  /**
   * Restrictions for a list filtered by `requestedOrganizationId`: a member admin asking for another
   * organization gets not-found (not an empty page); the answer's organizationId is the one to filter by.
   */
  async listScopeFiltered(actor: Actor, requestedOrganizationId: string | undefined): Promise<ListScope> {
    const scope = await this.listScope(actor);
    if (scope.organizationId && requestedOrganizationId && requestedOrganizationId !== scope.organizationId) throw hidden('organization', requestedOrganizationId);
    return { ...scope, organizationId: scope.organizationId ?? requestedOrganizationId };
  }

  /**
   * The jobs of `jobs` that `actor` may see: every one for an actor of every community (API tokens,
   * operators of all communities, auditors); for a community-scoped operator only those whose subject
   * (a CA, organization, bulk revocation or expiry notice, read from the payload) is in one of its
   * communities, so never a platform-wide sweep; none for a member admin.
   */
  async visibleJobs<J extends ScopedJob>(actor: Actor, jobs: J[]): Promise<J[]> {
    if (actor.role === 'member-admin') return [];
    const ids = await this.communityIdsOf(actor);
    if (!ids) return jobs;
    const subjects = jobs.map((j) => jobSubject(j.name, j.data));
    const communities = await this.p.db.reports.communitiesOf(subjects.filter((s): s is JobSubject => s !== null));
    return jobs.filter((_, i) => {
      const s = subjects[i];
      const communityId = s ? communities.get(`${s.kind}:${s.id}`) : undefined;
      return communityId !== undefined && ids.includes(communityId);
    });
  }

  /** Throws not-found unless `actor` may see community `id`. */
  async community(actor: Actor, id: string): Promise<void> {
    const ids = await this.communityIdsOf(actor);
    if (ids && !ids.includes(id)) throw hidden('community', id);
  }

  /** Throws not-found unless `actor` may see the CA. */
  async ca(actor: Actor, ca: CaRecord): Promise<void> {
    const ids = await this.communityIdsOf(actor);
    if (ids && !ids.includes(ca.communityId)) throw hidden('CA', ca.id);
  }

  /** Throws not-found unless `actor` may see (and, with its role, act for) the organization. */
  async organization(actor: Actor, org: OrganizationRecord): Promise<void> {
    if (actor.role === 'member-admin') {
      if (org.id !== actor.organizationId) throw hidden('organization', org.id);
      return;
    }
    if (actor.role === 'operator' && actor.communityIds && !actor.communityIds.includes(org.communityId)) throw hidden('organization', org.id);
  }

  /** Loads organization `id` (a UUID: a path parameter or body field the edge checked) if `actor` may see it; not-found otherwise. */
  async loadOrganization(actor: Actor, id: string): Promise<OrganizationRecord> {
    const org = await this.p.db.organizations.find(id);
    if (!org) throw hidden('organization', id);
    await this.organization(actor, org);
    return org;
  }

  /**
   * Throws not-found unless `actor` may issue for organization `id`. The issuance hot path: it reads
   * nothing for a member admin or an operator of every community (the use case itself reports an
   * organization that does not exist), and otherwise the cached issuance context, which is safe
   * because an organization never moves to another community. `id` is a UUID the edge checked.
   */
  async issuingOrganization(actor: Actor, id: string): Promise<void> {
    if (actor.role === 'member-admin') {
      if (id !== actor.organizationId) throw hidden('organization', id);
      return;
    }
    if (actor.role === 'operator' && actor.communityIds) {
      const context = await this.p.db.certificates.issuanceContext(id);
      if (!context || !actor.communityIds.includes(context.org.communityId)) throw hidden('organization', id);
    }
  }

  /** Throws not-found unless `actor` may see the certificate. */
  async certificate(actor: Actor, c: CertificateRecord): Promise<void> {
    if (actor.role === 'member-admin') {
      if (c.organizationId !== actor.organizationId) throw hidden('certificate', c.id);
      return;
    }
    if (actor.role === 'operator' && actor.communityIds) {
      const issuer = await this.p.db.cas.find(c.issuerId);
      if (!issuer || !actor.communityIds.includes(issuer.communityId)) throw hidden('certificate', c.id);
    }
  }
}
