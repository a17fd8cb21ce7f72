// Certificate requests. A transition is one conditional UPDATE on the expected status, so an
// approval racing a cancellation (or two operators) has exactly one winner.
import type { KeyType, LeafProfile } from '@anchorage/contracts';
import { DbConflictError, isUniqueViolation } from './errors';
import type { CertificateRequestRecord, CertificateRequestStatus, ListOrder } from './records';
import type * as P from './generated/prisma/client';
import type { StoreScope } from './scope';
import { containsPattern, idPage, inIdOrder, orderColumn, SqlConditions } from './sql-search';

const bytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function toRequest(r: P.CertificateRequest): CertificateRequestRecord {
  return {
    id: r.id, organizationId: r.organizationId, profile: r.profile as LeafProfile, sanUris: r.sanUris, keyType: r.keyType as KeyType,
    csrDer: bytes(r.csrDer), csrSha256: r.csrSha256, status: r.status as CertificateRequestStatus, reason: r.reason, clientRequestId: r.clientRequestId,
    renewalOf: r.renewalOf, requestedBy: r.requestedBy, createdAt: r.createdAt, decidedBy: r.decidedBy, decidedAt: r.decidedAt, certificateId: r.certificateId,
  };
}

/** Filter of request lists. */
export interface RequestFilter {
  organizationId?: string;
  status?: string;
  communityIds?: string[];
  /** One search box: text in a requested SAN URI or the organization's name. */
  q?: string;
}

/** Columns the request list sorts by (ListOrder fields). */
const REQUEST_ORDER: Record<string, string> = { createdAt: 'r.created_at', status: 'r.status', profile: 'r.profile', decidedAt: 'r.decided_at' };

/** Certificate requests (see the file comment). */
export class RequestStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a submitted request; a second waiting request for the same CSR, or a reused client id, is a DbConflictError. */
  async create(r: Omit<CertificateRequestRecord, 'status' | 'reason' | 'createdAt' | 'decidedBy' | 'decidedAt' | 'certificateId'>): Promise<CertificateRequestRecord> {
    try {
      return toRequest(await this.s.prisma.certificateRequest.create({ data: { ...r, csrDer: Buffer.from(r.csrDer), status: 'submitted' } }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('certificate_request_unique', 'this CSR is already waiting, or the request id was used');
      throw err;
    }
  }

  /** One request. */
  async find(id: string): Promise<CertificateRequestRecord | null> {
    const r = await this.s.prisma.certificateRequest.findUnique({ where: { id } });
    return r ? toRequest(r) : null;
  }

  /** The request of an organization under a client request id, or the one waiting for the same CSR. */
  async findRepeat(organizationId: string, clientRequestId: string | null, csrSha256: string): Promise<CertificateRequestRecord | null> {
    const r = await this.s.prisma.certificateRequest.findFirst({
      where: clientRequestId
        ? { organizationId, clientRequestId }
        : { organizationId, csrSha256, status: { in: ['submitted', 'approved'] } },
    });
    return r ? toRequest(r) : null;
  }

  /** Moves a request from one of `from` to `to`; false if it was not in one of `from`. */
  async transition(id: string, from: CertificateRequestStatus[], to: CertificateRequestStatus, set: { reason?: string | null; decidedBy?: string; decidedAt?: Date; certificateId?: string } = {}): Promise<boolean> {
    const r = await this.s.prisma.certificateRequest.updateMany({ where: { id, status: { in: from } }, data: { status: to, ...set } });
    return r.count === 1;
  }

  /** A page of requests, newest first. */
  async list(f: RequestFilter, skip: number, take: number, order?: ListOrder): Promise<{ items: CertificateRequestRecord[]; total: number }> {
    const c = new SqlConditions();
    if (f.organizationId) c.add('r.organization_id = ?::uuid', f.organizationId);
    if (f.status) c.add('r.status = ?', f.status);
    if (f.communityIds) c.add('o.community_id = ANY(?::uuid[])', f.communityIds);
    if (f.q) c.add("(array_to_string(r.san_uris, ' ') ILIKE ? OR o.name ILIKE ?)", containsPattern(f.q));
    const { ids, total } = await idPage(this.s.sql, {
      from: 'certificate_request r JOIN organization o ON o.id = r.organization_id', id: 'r.id', c, skip, take, orderBy: orderColumn(order, REQUEST_ORDER, 'r.created_at'),
    });
    const rows = ids.length ? await this.s.prisma.certificateRequest.findMany({ where: { id: { in: ids } } }) : [];
    return { items: inIdOrder(rows, ids).map(toRequest), total };
  }
}
