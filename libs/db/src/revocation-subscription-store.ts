// Relying-party revocation notices: subscriptions, the notice of each CRL and its deliveries. The
// notices and deliveries are written by the CRL generation's own transaction (crl-generation.ts
// recordRevocationNotice); this store manages the subscriptions and records how deliveries went.
import type * as P from './generated/prisma/client';
import type { ListOrder, NoticeSerial, RevocationDeliveryRecord, RevocationNoticeRecord, RevocationSubscriptionOwner, RevocationSubscriptionRecord } from './records';
import type { StoreScope } from './scope';

function toSubscription(r: P.RevocationSubscription): RevocationSubscriptionRecord {
  return {
    id: r.id, communityId: r.communityId, ownerType: r.ownerType as RevocationSubscriptionOwner, organizationId: r.organizationId, relyingParty: r.relyingParty,
    callbackUrl: r.callbackUrl, secretSealed: r.secretSealed, status: r.status as RevocationSubscriptionRecord['status'],
    pausedReason: r.pausedReason as RevocationSubscriptionRecord['pausedReason'], consecutiveFailures: r.consecutiveFailures, totalFailures: r.totalFailures,
    lastError: r.lastError, lastFailureAt: r.lastFailureAt, lastDeliveredAt: r.lastDeliveredAt, createdBy: r.createdBy, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

function toNotice(r: P.RevocationNotice): RevocationNoticeRecord {
  return {
    id: r.id, communityId: r.communityId, caId: r.caId, crlId: r.crlId, crlNumber: r.crlNumber, previousCrlNumber: r.previousCrlNumber,
    thisUpdate: r.thisUpdate, nextUpdate: r.nextUpdate, serials: r.serials as unknown as NoticeSerial[], serialCount: r.serialCount,
    released: r.released as unknown as string[], createdAt: r.createdAt,
  };
}

type DeliveryRow = P.RevocationDelivery & { notice: Pick<P.RevocationNotice, 'caId' | 'crlNumber' | 'serialCount'> };

function toDelivery(r: DeliveryRow): RevocationDeliveryRecord {
  return {
    id: r.id, subscriptionId: r.subscriptionId, noticeId: r.noticeId, status: r.status as RevocationDeliveryRecord['status'], attempts: r.attempts,
    lastError: r.lastError, lastAttemptAt: r.lastAttemptAt, deliveredAt: r.deliveredAt, createdAt: r.createdAt,
    caId: r.notice.caId, crlNumber: r.notice.crlNumber, serialCount: r.notice.serialCount,
  };
}

const NOTICE_SUMMARY = { notice: { select: { caId: true, crlNumber: true, serialCount: true } } } as const;

/** A new subscription, as the use case decided it. */
export interface NewRevocationSubscription {
  id: string;
  communityId: string;
  ownerType: RevocationSubscriptionOwner;
  organizationId: string | null;
  relyingParty: string | null;
  callbackUrl: string;
  secretSealed: string;
  createdBy: string;
  at: Date;
}

/** Filter of the subscription list. */
export interface RevocationSubscriptionFilter {
  communityIds?: string[];
  communityId?: string;
  organizationId?: string;
  status?: string;
}

/** How one delivery attempt went. */
export type DeliveryAttempt = { delivered: true } | { delivered: false; error: string; final: boolean };

/** Subscriptions and deliveries (see the file comment). */
export class RevocationSubscriptionStore {
  constructor(private readonly s: StoreScope) {}

  /**
   * Share-locks the CA rows of the subscription's community for the rest of the transaction, roots
   * first (the order a root's CRL generation takes its children's rows in), so a subscription cannot
   * become active while a CRL of the community is being generated: the CRL transaction decides whether
   * it records a notice, and for which subscriptions, under its CA row lock (FOR NO KEY UPDATE,
   * crl-generation.ts), which conflicts with this one. A generation in flight is waited for (its CRL
   * commits before the subscription, and is the one the subscriber starts from); one starting now waits
   * for the subscription to commit, and its notice includes it. Must run inside a transaction.
   */
  private async holdCrlGenerations(by: { communityId: string } | { subscriptionId: string }): Promise<void> {
    if ('communityId' in by) {
      await this.s.sql.query(
        'SELECT 1 AS locked FROM certificate_authority WHERE community_id = $1::uuid ORDER BY parent_id IS NOT NULL, id FOR SHARE', [by.communityId],
      );
    } else {
      await this.s.sql.query(
        `SELECT 1 AS locked FROM certificate_authority ca JOIN revocation_subscription s ON s.community_id = ca.community_id
          WHERE s.id = $1::uuid ORDER BY ca.parent_id IS NOT NULL, ca.id FOR SHARE OF ca`, [by.subscriptionId],
      );
    }
  }

  /** Stores a new subscription (inside a transaction: see holdCrlGenerations). */
  async create(n: NewRevocationSubscription): Promise<RevocationSubscriptionRecord> {
    await this.holdCrlGenerations({ communityId: n.communityId });
    return toSubscription(await this.s.prisma.revocationSubscription.create({
      data: {
        id: n.id, communityId: n.communityId, ownerType: n.ownerType, organizationId: n.organizationId, relyingParty: n.relyingParty,
        callbackUrl: n.callbackUrl, secretSealed: n.secretSealed, createdBy: n.createdBy, createdAt: n.at, updatedAt: n.at,
      },
    }));
  }

  /** One subscription (cancelled ones too). */
  async find(id: string): Promise<RevocationSubscriptionRecord | null> {
    const r = await this.s.prisma.revocationSubscription.findUnique({ where: { id } });
    return r ? toSubscription(r) : null;
  }

  /** Subscriptions, newest first; cancelled ones only when asked for by status. */
  async list(f: RevocationSubscriptionFilter, skip = 0, take = 100, order?: ListOrder): Promise<{ items: RevocationSubscriptionRecord[]; total: number }> {
    const communityIds = f.communityId ? (f.communityIds && !f.communityIds.includes(f.communityId) ? [] : [f.communityId]) : f.communityIds;
    const where = {
      ...(communityIds ? { communityId: { in: communityIds } } : {}),
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      status: f.status ?? { not: 'cancelled' },
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.revocationSubscription.findMany({ where, orderBy: order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }, skip, take }),
      this.s.prisma.revocationSubscription.count({ where }),
    ]);
    return { items: rows.map(toSubscription), total };
  }

  /**
   * Moves a subscription from one of `from` to `to` (with the pause reason, or null); returns the
   * changed record, or null when it was in none of `from` (a concurrent change won). To `active`:
   * inside a transaction (see holdCrlGenerations).
   */
  async transition(id: string, from: RevocationSubscriptionRecord['status'][], to: RevocationSubscriptionRecord['status'], pausedReason: 'manual' | 'failing' | null, at: Date): Promise<RevocationSubscriptionRecord | null> {
    // becoming active again, like being created, waits for the community's CRL generations in flight
    if (to === 'active') await this.holdCrlGenerations({ subscriptionId: id });
    const n = await this.s.prisma.revocationSubscription.updateMany({
      where: { id, status: { in: from } },
      // resuming starts the failure count afresh: the receiver was looked at
      data: { status: to, pausedReason, updatedAt: at, ...(to === 'active' ? { consecutiveFailures: 0 } : {}) },
    });
    return n.count === 1 ? this.find(id) : null;
  }

  /** Replaces the sealed secret of a subscription that is not cancelled; false when it is. */
  async replaceSecret(id: string, secretSealed: string, at: Date): Promise<boolean> {
    const n = await this.s.prisma.revocationSubscription.updateMany({ where: { id, status: { not: 'cancelled' } }, data: { secretSealed, updatedAt: at } });
    return n.count === 1;
  }

  /** Deliveries still pending of a subscription become skipped (it was paused or cancelled); returns how many. */
  async skipPending(subscriptionId: string): Promise<number> {
    const n = await this.s.prisma.revocationDelivery.updateMany({ where: { subscriptionId, status: 'pending' }, data: { status: 'skipped' } });
    return n.count;
  }

  /** One notice. */
  async findNotice(id: string): Promise<RevocationNoticeRecord | null> {
    const r = await this.s.prisma.revocationNotice.findUnique({ where: { id } });
    return r ? toNotice(r) : null;
  }

  /** One delivery. */
  async findDelivery(id: string): Promise<RevocationDeliveryRecord | null> {
    const r = await this.s.prisma.revocationDelivery.findUnique({ where: { id }, include: NOTICE_SUMMARY });
    return r ? toDelivery(r) : null;
  }

  /** Deliveries of a subscription, newest first. */
  async listDeliveries(subscriptionId: string, skip = 0, take = 100): Promise<{ items: RevocationDeliveryRecord[]; total: number }> {
    const where = { subscriptionId };
    const [rows, total] = await Promise.all([
      this.s.prisma.revocationDelivery.findMany({ where, include: NOTICE_SUMMARY, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take }),
      this.s.prisma.revocationDelivery.count({ where }),
    ]);
    return { items: rows.map(toDelivery), total };
  }

  /** Marks a pending delivery skipped (its subscription is no longer active); false when it was not pending. */
  async skip(deliveryId: string): Promise<boolean> {
    const n = await this.s.prisma.revocationDelivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'skipped' } });
    return n.count === 1;
  }

  /**
   * Records one attempt on the delivery and its subscription, in one transaction: a success resets
   * the subscription's consecutive failures; a failure counts, and once `pauseAfter` consecutive
   * failures are reached the subscription is paused as failing. A final failure ends the delivery
   * as failed. Returns the subscription after the attempt.
   */
  async recordAttempt(deliveryId: string, subscriptionId: string, outcome: DeliveryAttempt, at: Date, pauseAfter: number): Promise<RevocationSubscriptionRecord> {
    return this.s.transaction(async (tx) => {
      if (outcome.delivered) {
        await tx.prisma.revocationDelivery.update({ where: { id: deliveryId }, data: { status: 'delivered', attempts: { increment: 1 }, lastAttemptAt: at, deliveredAt: at, lastError: null } });
        return toSubscription(await tx.prisma.revocationSubscription.update({ where: { id: subscriptionId }, data: { consecutiveFailures: 0, lastDeliveredAt: at } }));
      }
      const error = outcome.error.slice(0, 200);
      await tx.prisma.revocationDelivery.update({
        where: { id: deliveryId }, data: { attempts: { increment: 1 }, lastAttemptAt: at, lastError: error, ...(outcome.final ? { status: 'failed' } : {}) },
      });
      const sub = await tx.prisma.revocationSubscription.update({
        where: { id: subscriptionId }, data: { consecutiveFailures: { increment: 1 }, totalFailures: { increment: 1 }, lastError: error, lastFailureAt: at },
      });
      if (sub.status === 'active' && sub.consecutiveFailures >= pauseAfter) {
        return toSubscription(await tx.prisma.revocationSubscription.update({ where: { id: subscriptionId }, data: { status: 'paused', pausedReason: 'failing', updatedAt: at } }));
      }
      return toSubscription(sub);
    });
  }

  /** The newest sealed secret of a subscription not cancelled, with the id it is sealed to (the start-up key check opens it). */
  async newestSealedSecret(): Promise<{ subscriptionId: string; sealed: string } | null> {
    const r = await this.s.prisma.revocationSubscription.findFirst({ where: { status: { not: 'cancelled' } }, orderBy: { updatedAt: 'desc' }, select: { id: true, secretSealed: true } });
    return r ? { subscriptionId: r.id, sealed: r.secretSealed } : null;
  }

  /** Puts a failed or skipped delivery back to pending (an operator retried its job). */
  async reopen(deliveryId: string): Promise<void> {
    await this.s.prisma.revocationDelivery.updateMany({ where: { id: deliveryId, status: { in: ['failed', 'skipped'] } }, data: { status: 'pending' } });
  }
}
