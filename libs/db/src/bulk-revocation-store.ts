// Bulk revocations (issue: workers). Each batch is one transaction on the pool: lock up to N live
// certificates of the organization or CA, revoke each with one conditional UPDATE, append one audit
// event per certificate to the hash chain, and add the batch to the progress row. A worker killed
// between batches loses nothing; one killed inside a batch loses the batch's transaction, and the
// next run revokes the same certificates, once.
import { appendAuditEvents } from './audit-store';
import { pgRunner, pgTransaction } from './pg-transaction';
import type { AuditInput, BulkRevocationCause, BulkRevocationRecord, BulkRevocationStatus, BulkRevocationTarget, ListOrder } from './records';
import type * as P from './generated/prisma/client';
import type { StoreScope } from './scope';

function toBulk(r: P.BulkRevocation): BulkRevocationRecord {
  return {
    id: r.id, communityId: r.communityId, organizationId: r.organizationId, caId: r.caId, reason: r.reason, cause: r.cause as BulkRevocationCause,
    status: r.status as BulkRevocationStatus, total: r.total, revoked: r.revoked, batches: r.batches, crlNumbers: r.crlNumbers as Record<string, string>,
    requestedBy: r.requestedBy, createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt, lastError: r.lastError,
  };
}

/** Filter of bulk revocation lists. */
export interface BulkRevocationFilter {
  organizationId?: string;
  caId?: string;
  status?: string;
  communityIds?: string[];
}

/** What a use case writes to start a bulk revocation. */
export type NewBulkRevocation = Pick<BulkRevocationRecord, 'id' | 'communityId' | 'organizationId' | 'caId' | 'reason' | 'cause' | 'requestedBy'>;

/** One revocation of a batch: the new state and the CRL entry DER encoded by the authority. */
export interface BatchRevocation {
  id: string;
  revokedAt: Date;
  crlEntryDer: Uint8Array;
  audit: AuditInput;
}

/** Bulk revocation records and batches (see the file comment). */
export class BulkRevocationStore {
  constructor(private readonly s: StoreScope) {}

  /** Records a queued bulk revocation (inside the caller's transaction, with its outbox job). */
  async create(b: NewBulkRevocation): Promise<BulkRevocationRecord> {
    return toBulk(await this.s.prisma.bulkRevocation.create({ data: { ...b, status: 'queued' } }));
  }

  /** One bulk revocation. */
  async find(id: string): Promise<BulkRevocationRecord | null> {
    const r = await this.s.prisma.bulkRevocation.findUnique({ where: { id } });
    return r ? toBulk(r) : null;
  }

  /** Lists bulk revocations, newest first. */
  async list(f: BulkRevocationFilter, skip = 0, take = 100, order?: ListOrder): Promise<{ items: BulkRevocationRecord[]; total: number }> {
    const where = {
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.caId ? { caId: f.caId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.bulkRevocation.findMany({ where, orderBy: order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }, skip, take }),
      this.s.prisma.bulkRevocation.count({ where }),
    ]);
    return { items: rows.map(toBulk), total };
  }

  /**
   * Marks a run started (again, after a crash) and counts its total: revoked so far plus the
   * certificates still live. Returns null when it already completed.
   */
  async start(id: string, now: Date): Promise<BulkRevocationRecord | null> {
    const r = await this.s.pool.query(
      `UPDATE bulk_revocation b SET status = 'running', started_at = coalesce(b.started_at, $2), last_error = NULL,
              total = b.revoked + (SELECT count(*)::int FROM certificate c
                                    WHERE c.status IN ('issued', 'on-hold')
                                      AND (c.organization_id = b.organization_id OR c.issuer_id = b.ca_id))
        WHERE b.id = $1 AND b.status <> 'completed'`,
      [id, now],
    );
    return r.rowCount === 1 ? this.find(id) : null;
  }

  /**
   * Runs one batch: locks up to `limit` live certificates of the bulk revocation's subject (in id
   * order), lets `decide` encode their revocations, stores them with their audit events, and adds
   * them to the progress. Returns the issuers touched and how many were revoked (0: none left).
   */
  async revokeBatch(b: BulkRevocationRecord, limit: number, decide: (targets: BulkRevocationTarget[]) => BatchRevocation[]): Promise<{ revoked: number; issuerIds: string[] }> {
    return pgTransaction(this.s.pool, async (c) => {
      const subject = b.organizationId ? 'organization_id' : 'issuer_id';
      const picked = await c.query<{ id: string; issuer_id: string; serial: Buffer; status: 'issued' | 'on-hold'; revoked_at: Date | null }>(
        `SELECT id, issuer_id, serial, status, revoked_at FROM certificate
          WHERE ${subject} = $1 AND status IN ('issued', 'on-hold') ORDER BY id LIMIT $2 FOR UPDATE`,
        [b.organizationId ?? b.caId, limit],
      );
      if (picked.rows.length === 0) return { revoked: 0, issuerIds: [] };
      const decided = decide(picked.rows.map((r) => ({ id: r.id, issuerId: r.issuer_id, serial: r.serial, status: r.status, revokedAt: r.revoked_at })));
      const updated = await c.query<{ id: string; issuer_id: string }>(
        `UPDATE certificate c SET status = 'revoked', revoked_at = d.revoked_at, revocation_reason = $4, invalidity_date = NULL,
                crl_entry_der = d.der, revocation_published = false
           FROM unnest($1::uuid[], $2::timestamptz[], $3::bytea[]) AS d(id, revoked_at, der)
          WHERE c.id = d.id AND c.status IN ('issued', 'on-hold')
        RETURNING c.id, c.issuer_id`,
        [decided.map((d) => d.id), decided.map((d) => d.revokedAt), decided.map((d) => Buffer.from(d.crlEntryDer.buffer, d.crlEntryDer.byteOffset, d.crlEntryDer.byteLength)), b.reason],
      );
      const done = new Set(updated.rows.map((r) => r.id));
      await appendAuditEvents(pgRunner(c), decided.filter((d) => done.has(d.id)).map((d) => d.audit));
      await c.query('UPDATE bulk_revocation SET revoked = revoked + $2, batches = batches + 1 WHERE id = $1', [b.id, done.size]);
      return { revoked: done.size, issuerIds: [...new Set(updated.rows.map((r) => r.issuer_id))] };
    });
  }

  /** The CAs whose CRLs must list the bulk revocation's certificates. */
  async issuersOf(b: BulkRevocationRecord): Promise<string[]> {
    if (b.caId) return [b.caId];
    const r = await this.s.pool.query<{ issuer_id: string }>(
      "SELECT DISTINCT issuer_id FROM certificate WHERE organization_id = $1 AND status = 'revoked' AND revocation_reason = $2",
      [b.organizationId, b.reason],
    );
    return r.rows.map((x) => x.issuer_id);
  }

  /** Marks a bulk revocation completed with the CRL numbers that list its certificates. */
  async complete(id: string, crlNumbers: Record<string, string>, now: Date): Promise<void> {
    await this.s.pool.query(
      "UPDATE bulk_revocation SET status = 'completed', crl_numbers = $2::jsonb, finished_at = $3, last_error = NULL WHERE id = $1 AND status <> 'completed'",
      [id, JSON.stringify(crlNumbers), now],
    );
  }

  /** Records a failed run; `final` when the queue gives up (status failed, shown in the console). */
  async recordFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.s.pool.query(
      `UPDATE bulk_revocation SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1 AND status <> 'completed'`,
      [id, error.slice(0, 2000), final],
    );
  }
}
