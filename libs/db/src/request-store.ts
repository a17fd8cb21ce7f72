// Certificate requests. A transition is one conditional UPDATE on the expected status, so an
// approval racing a cancellation (or two operators) has exactly one winner.
import type { KeyType, LeafProfile } from '@anchorage/contracts';
import { DbConflictError, isUniqueViolation } from './errors';
import type { CertificateRequestRecord, CertificateRequestStatus, ListOrder } from './records';
import type * as P from './generated/prisma/client';
import type { StoreScope } from './scope';

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
}

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
    const where = {
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.communityIds ? { organization: { communityId: { in: f.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.certificateRequest.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.s.prisma.certificateRequest.count({ where }),
    ]);
    return { items: rows.map(toRequest), total };
  }
}
