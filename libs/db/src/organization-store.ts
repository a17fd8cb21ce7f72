// Member organizations and their SAN URI bindings. A URI, once bound in a community, belongs to its
// organization for good (the unique key decides a race). Onboarding's status transitions and
// invitations live in onboarding-store.ts.
import { DbConflictError, isUniqueViolation } from './errors';
import { toOrganization } from './mappers';
import type { ListOrder, OrganizationRecord, Page } from './records';
import type { StoreScope } from './scope';

/** Organizations and SAN bindings (see the file comment). */
export class OrganizationStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a new organization (active unless `status` says otherwise, e.g. a draft an invitation starts). */
  async create(o: { id: string; communityId: string; name: string; status?: 'active' | 'draft' }): Promise<OrganizationRecord> {
    const r = await this.s.prisma.organization.create({ data: o });
    return toOrganization({ ...r, sanBindings: [] });
  }

  /**
   * Binds SAN URIs to an organization for good. A URI already bound to this organization is kept;
   * one bound to another organization is a DbConflictError('san_binding') naming the owner.
   */
  async bindSanUris(communityId: string, organizationId: string, uris: string[]): Promise<void> {
    this.s.contexts.clear();
    for (const uri of uris) {
      const existing = await this.s.prisma.sanBinding.findUnique({ where: { communityId_uri: { communityId, uri } } });
      if (existing) {
        if (existing.organizationId !== organizationId) {
          throw new DbConflictError('san_binding', `SAN URI ${uri} belongs to another organization of this community`, { uri, organizationId: existing.organizationId });
        }
        continue;
      }
      try {
        await this.s.prisma.sanBinding.create({ data: { communityId, uri, organizationId } });
      } catch (err) {
        if (isUniqueViolation(err)) throw new DbConflictError('san_binding', `SAN URI ${uri} was bound concurrently by another request`, { uri });
        throw err;
      }
    }
  }

  /** Which of `uris` are bound in the community, and to whom. */
  async sanOwners(communityId: string, uris: string[]): Promise<{ uri: string; organizationId: string }[]> {
    if (uris.length === 0) return [];
    return this.s.prisma.sanBinding.findMany({ where: { communityId, uri: { in: uris } }, select: { uri: true, organizationId: true } });
  }

  /** Finds an organization with its SAN URIs. */
  async find(id: string): Promise<OrganizationRecord | null> {
    const r = await this.s.prisma.organization.findUnique({ where: { id }, include: { sanBindings: { orderBy: { createdAt: 'asc' } } } });
    return r ? toOrganization(r) : null;
  }

  /** Lists organizations, optionally of one community; `scope` restricts to communities or to one organization, a status, or a search text (`q`). */
  async list(
    communityId: string | undefined, skip = 0, take = 100, scope: { communityIds?: string[]; organizationId?: string; status?: string; q?: string } = {}, order?: ListOrder,
  ): Promise<Page<OrganizationRecord>> {
    const where = {
      AND: [
        communityId ? { communityId } : {},
        scope.status ? { status: scope.status } : {},
        scope.communityIds ? { communityId: { in: scope.communityIds } } : {},
        scope.organizationId ? { id: scope.organizationId } : {},
        // one search box: text in the name or a bound SAN URI
        scope.q ? { OR: [{ name: { contains: scope.q, mode: 'insensitive' as const } }, { sanBindings: { some: { uri: { contains: scope.q, mode: 'insensitive' as const } } } }] } : {},
      ],
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.organization.findMany({
        where, include: { sanBindings: { orderBy: { createdAt: 'asc' } } }, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take,
      }),
      this.s.prisma.organization.count({ where }),
    ]);
    return { items: rows.map(toOrganization), total };
  }
}
