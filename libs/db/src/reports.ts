// Read models of the console's dashboard and history pages: counts and short lists, every one
// restricted to the caller's communities (or organization) by the API's scope.
import type { PrismaLike } from './connection';
import { toCertificate, toCrl } from './mappers';
import type { CertificateRecord, CrlRecord } from './records';

/** The newest CRL of one CA, for freshness at a glance. */
export interface CrlFreshness {
  caId: string;
  caSubject: string;
  caRole: 'root' | 'issuing';
  communityId: string;
  crlNumber: bigint | null;
  thisUpdate: Date | null;
  nextUpdate: Date | null;
  entryCount: number | null;
}

/** Restriction of a report: communities (an operator's scope) or one organization (a member admin). */
export interface ReportScope {
  communityIds?: string[];
  organizationId?: string;
}

/** Dashboard and history queries (see the file comment). */
export class Reports {
  constructor(private readonly db: PrismaLike) {}

  /** Requests waiting for an operator. */
  async pendingRequests(scope: ReportScope): Promise<number> {
    return this.db.certificateRequest.count({
      where: {
        status: { in: ['submitted', 'approved'] },
        ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
        ...(scope.communityIds ? { organization: { communityId: { in: scope.communityIds } } } : {}),
      },
    });
  }

  /** Organizations whose profile waits for review. */
  async organizationsAwaitingReview(scope: ReportScope): Promise<number> {
    return this.db.organization.count({
      where: {
        status: 'submitted',
        ...(scope.organizationId ? { id: scope.organizationId } : {}),
        ...(scope.communityIds ? { communityId: { in: scope.communityIds } } : {}),
      },
    });
  }

  /** Issued, unrevoked certificates whose notAfter falls before `until` (soonest first), and how many. */
  async expiringSoon(scope: ReportScope, now: Date, until: Date, take: number): Promise<{ items: CertificateRecord[]; total: number }> {
    const where = {
      status: 'issued',
      notAfter: { gt: now, lte: until },
      ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
      ...(scope.communityIds ? { issuer: { communityId: { in: scope.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.certificate.findMany({ where, orderBy: { notAfter: 'asc' }, take }),
      this.db.certificate.count({ where }),
    ]);
    return { items: rows.map(toCertificate), total };
  }

  /** The newest CRL of every CA with a certificate in scope. */
  async crlFreshness(communityIds: string[] | undefined): Promise<CrlFreshness[]> {
    const cas = await this.db.certificateAuthority.findMany({
      where: { certificateDer: { not: null }, ...(communityIds ? { communityId: { in: communityIds } } : {}) },
      orderBy: [{ communityId: 'asc' }, { role: 'desc' }, { createdAt: 'asc' }],
      select: { id: true, subject: true, role: true, communityId: true },
    });
    return Promise.all(cas.map(async (ca) => {
      const crl = await this.db.crl.findFirst({
        where: { caId: ca.id }, orderBy: { crlNumber: 'desc' }, select: { crlNumber: true, thisUpdate: true, nextUpdate: true, entryCount: true },
      });
      return {
        caId: ca.id, caSubject: ca.subject, caRole: ca.role as 'root' | 'issuing', communityId: ca.communityId,
        crlNumber: crl?.crlNumber ?? null, thisUpdate: crl?.thisUpdate ?? null, nextUpdate: crl?.nextUpdate ?? null, entryCount: crl?.entryCount ?? null,
      };
    }));
  }

  /** One CRL of a CA's history, with its DER. */
  async crlByNumber(caId: string, crlNumber: bigint): Promise<CrlRecord | null> {
    const r = await this.db.crl.findFirst({ where: { caId, crlNumber } });
    return r ? toCrl(r) : null;
  }
}
