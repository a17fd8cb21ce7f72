// Organization onboarding (profile, status transitions) and invitations. Every transition is one
// conditional UPDATE on the expected current status, so two operators (or an operator and the
// member) acting at once cannot both succeed: the loser sees the transition refused.
import type { OrganizationProfile, OrganizationStatus } from '@anchorage/contracts';
import { toInvitation } from './mappers';
import type { EndpointCheckRecord, InvitationRecord, ListOrder } from './records';
import type { StoreScope } from './scope';

/** Onboarding storage (see the file comment). */
export class OnboardingStore {
  constructor(private readonly s: StoreScope) {}

  /**
   * Moves organization `id` from one of `from` to `to`; false if it was not in one of `from`, or its
   * profile is not at revision `when.profileRevision` when given. A new profile is the next revision.
   */
  async transition(
    id: string, from: OrganizationStatus[], to: OrganizationStatus,
    set: { reason?: string | null; submittedAt?: Date; reviewedAt?: Date; profile?: OrganizationProfile; name?: string } = {},
    when: { profileRevision?: number } = {},
  ): Promise<boolean> {
    this.s.contexts.clear(); // issuance reads the status through the context cache
    const r = await this.s.prisma.organization.updateMany({
      where: { id, status: { in: from }, ...(when.profileRevision !== undefined ? { profileRevision: when.profileRevision } : {}) },
      data: {
        status: to,
        ...(set.reason !== undefined ? { statusReason: set.reason } : {}),
        ...(set.submittedAt ? { submittedAt: set.submittedAt } : {}),
        ...(set.reviewedAt ? { reviewedAt: set.reviewedAt } : {}),
        ...(set.profile ? { profile: set.profile as object, profileRevision: { increment: 1 } } : {}),
        ...(set.name ? { name: set.name } : {}),
      },
    });
    return r.count === 1;
  }

  /** Stores an invitation. */
  async createInvitation(i: Omit<InvitationRecord, 'createdAt' | 'acceptedAt' | 'acceptedUserId' | 'revokedAt'> & { tokenHash: string }): Promise<InvitationRecord> {
    return toInvitation(await this.s.prisma.invitation.create({ data: i }));
  }

  /** The invitation whose token hashes to `tokenHash`. */
  async findInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const r = await this.s.prisma.invitation.findUnique({ where: { tokenHash } });
    return r ? toInvitation(r) : null;
  }

  /** One invitation by id. */
  async findInvitation(id: string): Promise<InvitationRecord | null> {
    const r = await this.s.prisma.invitation.findUnique({ where: { id } });
    return r ? toInvitation(r) : null;
  }

  /** Marks the invitation used by `userId`; false if it was already used, revoked or expired at `now`. */
  async acceptInvitation(id: string, userId: string, now: Date): Promise<boolean> {
    const r = await this.s.prisma.invitation.updateMany({
      where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedUserId: userId },
    });
    return r.count === 1;
  }

  /** Revokes a pending invitation; false if it was not pending. */
  async revokeInvitation(id: string, now: Date): Promise<boolean> {
    const r = await this.s.prisma.invitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    return r.count === 1;
  }

  /** Invitations, newest first (filter: organizationId; communityIds: of organizations in those communities). */
  async listInvitations(filter: { organizationId?: string; communityIds?: string[] }, skip: number, take: number, order?: ListOrder): Promise<{ items: InvitationRecord[]; total: number }> {
    const where = {
      ...(filter.organizationId ? { organizationId: filter.organizationId } : {}),
      ...(filter.communityIds ? { organization: { communityId: { in: filter.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.invitation.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.s.prisma.invitation.count({ where }),
    ]);
    return { items: rows.map(toInvitation), total };
  }

  /** Starts (or restarts) the endpoint check of `uri`: a new token, pending. */
  async startEndpointCheck(c: { organizationId: string; uri: string; token: string; requestedBy: string; now: Date }): Promise<EndpointCheckRecord> {
    const data = { token: c.token, status: 'pending', requestedBy: c.requestedBy, createdAt: c.now, checkedAt: null, verifiedAt: null, lastError: null };
    const r = await this.s.prisma.endpointCheck.upsert({
      where: { organizationId_uri: { organizationId: c.organizationId, uri: c.uri } },
      create: { organizationId: c.organizationId, uri: c.uri, ...data },
      update: data,
    });
    return r as EndpointCheckRecord;
  }

  /** The check of one URI. */
  async findEndpointCheck(organizationId: string, uri: string): Promise<EndpointCheckRecord | null> {
    return (await this.s.prisma.endpointCheck.findUnique({ where: { organizationId_uri: { organizationId, uri } } })) as EndpointCheckRecord | null;
  }

  /** Every check of an organization. */
  async listEndpointChecks(organizationId: string): Promise<EndpointCheckRecord[]> {
    return (await this.s.prisma.endpointCheck.findMany({ where: { organizationId }, orderBy: { uri: 'asc' } })) as EndpointCheckRecord[];
  }

  /** Records the outcome of fetching the token, if the check still has `token` (a restarted check is not overwritten). */
  async recordEndpointCheck(organizationId: string, uri: string, token: string, outcome: { ok: boolean; error: string | null; now: Date }): Promise<boolean> {
    const r = await this.s.prisma.endpointCheck.updateMany({
      where: { organizationId, uri, token },
      data: { status: outcome.ok ? 'verified' : 'failed', checkedAt: outcome.now, verifiedAt: outcome.ok ? outcome.now : null, lastError: outcome.error },
    });
    return r.count === 1;
  }
}
