// Certification templates and the certification JWTs recorded for member apps (docs/certifications.md).
// A certification is written once, with its audit event, and changes only by a revocation (one
// conditional UPDATE); the public status endpoint reads `statusEntries`, one query per community.
import { appendAuditEvents } from './audit-store';
import { DbConflictError, isUniqueViolation } from './errors';
import type * as P from './generated/prisma/client';
import type { AuditInput, ListOrder, Page } from './records';
import type { StoreScope } from './scope';

/** A certification template of a community (udap.org Certifications and Endorsements; UDAP STU2 §7.4.1). */
export interface CertificationTemplateRecord {
  id: string;
  communityId: string;
  /** certification_name. */
  name: string;
  /** certification_uris. */
  uris: string[];
  /** certification_logo. */
  logoUri: string | null;
  /** certification_description. */
  description: string | null;
  /** grant_types a certification of this template may carry. */
  grantTypes: string[];
  /** Scopes it may carry (empty: not restricted). */
  scopes: string[];
  /** response_types it may carry (empty: none). */
  responseTypes: string[];
  /** Exchange purposes (TEFCA XP codes) it may carry (empty: none). */
  exchangePurposes: string[];
  isEndorsement: boolean;
  createdBy: string;
  createdAt: Date;
}

/** What a use case writes to define a template. */
export type NewCertificationTemplate = Omit<CertificationTemplateRecord, 'createdAt'>;

/** Whether a certification still stands as far as its own record says (revoked is final). */
export type CertificationStatus = 'active' | 'revoked';

/** A certification JWT of a member app, as recorded. */
export interface CertificationRecord {
  id: string;
  communityId: string;
  templateId: string;
  jti: string;
  iss: string;
  /** The certified app's client URI (a SAN URI of its udap-client certificate). */
  sub: string;
  /** The certified app's organization. */
  organizationId: string;
  certifierCertificateId: string;
  certifierSerial: Uint8Array;
  certifierOrganizationId: string;
  iat: Date;
  exp: Date;
  /** The compact JWS, byte for byte as the certifier signed it. */
  jwt: string;
  status: CertificationStatus;
  revokedAt: Date | null;
  revocationReason: string | null;
  revokedBy: string | null;
  createdBy: string;
  createdAt: Date;
}

/** What a use case writes to record a certification. */
export type NewCertification = Omit<CertificationRecord, 'status' | 'revokedAt' | 'revocationReason' | 'revokedBy' | 'createdAt'>;

/** Filter of certification lists. */
export interface CertificationFilter {
  communityIds?: string[];
  /** The certified app's organization. */
  organizationId?: string;
  certifierOrganizationId?: string;
  /** Either party: the certified app's organization or the certifier's (a member's own view). */
  partyOrganizationId?: string;
  templateId?: string;
  status?: string;
  sub?: string;
}

/** A certifier whose key the signer process holds (`keyRef`), certified by its udap-certifier certificate. */
export interface PlatformCertifierRecord {
  id: string;
  communityId: string;
  organizationId: string;
  certificateId: string;
  keyRef: string;
  createdBy: string;
  createdAt: Date;
}

/** One certification the status endpoint may answer valid for, and until when. */
export interface CertificationStatusEntry {
  jti: string;
  exp: Date;
  /** The latest notAfter of the app's live udap-client certificates for `sub`; null when it has none. */
  appCertificateLiveUntil: Date | null;
}

function toTemplate(r: P.CertificationTemplate): CertificationTemplateRecord {
  return {
    id: r.id, communityId: r.communityId, name: r.name, uris: r.uris, logoUri: r.logoUri, description: r.description, grantTypes: r.grantTypes,
    scopes: r.scopes, responseTypes: r.responseTypes, exchangePurposes: r.exchangePurposes, isEndorsement: r.isEndorsement, createdBy: r.createdBy, createdAt: r.createdAt,
  };
}

function toCertification(r: P.Certification): CertificationRecord {
  return {
    id: r.id, communityId: r.communityId, templateId: r.templateId, jti: r.jti, iss: r.iss, sub: r.sub, organizationId: r.organizationId,
    certifierCertificateId: r.certifierCertificateId, certifierSerial: new Uint8Array(r.certifierSerial), certifierOrganizationId: r.certifierOrganizationId,
    iat: r.iat, exp: r.exp, jwt: r.jwt, status: r.status as CertificationStatus, revokedAt: r.revokedAt, revocationReason: r.revocationReason,
    revokedBy: r.revokedBy, createdBy: r.createdBy, createdAt: r.createdAt,
  };
}

/** Certification templates and certifications (see the file comment). */
export class CertificationStore {
  constructor(private readonly s: StoreScope) {}

  /** Records a platform certifier with its audit event (its certificate was issued before, in its own statements). */
  async createCertifier(c: Omit<PlatformCertifierRecord, 'createdAt'>, event: AuditInput): Promise<PlatformCertifierRecord> {
    const row = await this.s.prisma.platformCertifier.create({ data: c });
    await appendAuditEvents(this.s.sql, [event]);
    return row;
  }

  /** One platform certifier. */
  findCertifier(id: string): Promise<PlatformCertifierRecord | null> {
    return this.s.prisma.platformCertifier.findUnique({ where: { id } });
  }

  /**
   * Every platform certifier whose certificate is issued (not revoked, not on hold) and not expired at
   * `at`, with the certificate's DER: the certifiers the platform may still sign with (the start-up key check).
   */
  async signingCertifiers(at: Date): Promise<(PlatformCertifierRecord & { certificateDer: Uint8Array })[]> {
    const rows = await this.s.prisma.platformCertifier.findMany({
      where: { certificate: { status: 'issued', notAfter: { gt: at }, der: { not: null } } },
      include: { certificate: { select: { der: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(({ certificate, ...c }) => ({ ...c, certificateDer: new Uint8Array(certificate.der!) }));
  }

  /** A community's platform certifiers, oldest first. */
  async certifiersOf(communityId: string, skip = 0, take = 100): Promise<Page<PlatformCertifierRecord>> {
    const where = { communityId };
    const [items, total] = await Promise.all([
      this.s.prisma.platformCertifier.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take }),
      this.s.prisma.platformCertifier.count({ where }),
    ]);
    return { items, total };
  }

  /** Defines a template with its audit event; a name the community uses already is a DbConflictError('certification_template_name'). */
  async createTemplate(t: NewCertificationTemplate, event: AuditInput): Promise<CertificationTemplateRecord> {
    try {
      const row = await this.s.prisma.certificationTemplate.create({ data: t });
      await appendAuditEvents(this.s.sql, [event]);
      return toTemplate(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('certification_template_name', `community ${t.communityId} has a template named "${t.name}" already`, { name: t.name });
      throw err;
    }
  }

  /** One template. */
  async findTemplate(id: string): Promise<CertificationTemplateRecord | null> {
    const r = await this.s.prisma.certificationTemplate.findUnique({ where: { id } });
    return r ? toTemplate(r) : null;
  }

  /** A community's templates, oldest first. */
  async templatesOf(communityId: string, skip = 0, take = 100): Promise<Page<CertificationTemplateRecord>> {
    const where = { communityId };
    const [rows, total] = await Promise.all([
      this.s.prisma.certificationTemplate.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take }),
      this.s.prisma.certificationTemplate.count({ where }),
    ]);
    return { items: rows.map(toTemplate), total };
  }

  /** Records a certification with its audit event; a jti the community has already is a DbConflictError('certification_jti'). */
  async create(c: NewCertification, event: AuditInput): Promise<CertificationRecord> {
    try {
      const row = await this.s.prisma.certification.create({ data: { ...c, certifierSerial: Buffer.from(c.certifierSerial) } });
      await appendAuditEvents(this.s.sql, [event]);
      return toCertification(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('certification_jti', `community ${c.communityId} has a certification with jti "${c.jti}" already`, { jti: c.jti });
      throw err;
    }
  }

  /** One certification. */
  async find(id: string): Promise<CertificationRecord | null> {
    const r = await this.s.prisma.certification.findUnique({ where: { id } });
    return r ? toCertification(r) : null;
  }

  /** Lists certifications with a filter, newest first. */
  async list(f: CertificationFilter, skip = 0, take = 100, order?: ListOrder): Promise<Page<CertificationRecord>> {
    const where = {
      ...(f.communityIds ? { communityId: { in: f.communityIds } } : {}),
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.certifierOrganizationId ? { certifierOrganizationId: f.certifierOrganizationId } : {}),
      ...(f.partyOrganizationId ? { OR: [{ organizationId: f.partyOrganizationId }, { certifierOrganizationId: f.partyOrganizationId }] } : {}),
      ...(f.templateId ? { templateId: f.templateId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.sub ? { sub: f.sub } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.certification.findMany({ where, orderBy: order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : [{ createdAt: 'desc' as const }, { id: 'asc' as const }], skip, take }),
      this.s.prisma.certification.count({ where }),
    ]);
    return { items: rows.map(toCertification), total };
  }

  /** Revokes an active certification with its audit event; null when it is not active (revoked already, or unknown). */
  async revoke(id: string, r: { at: Date; reason: string; by: string }, event: AuditInput): Promise<CertificationRecord | null> {
    const rows = await this.s.sql.query<{ id: string }>(
      `UPDATE certification SET status = 'revoked', revoked_at = $2, revocation_reason = $3, revoked_by = $4
        WHERE id = $1::uuid AND status = 'active' RETURNING id::text AS id`,
      [id, r.at, r.reason, r.by],
    );
    if (rows.length === 0) return null;
    await appendAuditEvents(this.s.sql, [event]);
    return this.find(id);
  }

  /**
   * The community's certifications that may be valid at `at`: active, not expired, signed with a
   * certifier certificate that is not revoked; each with how long the app keeps a live udap-client
   * certificate for its client URI (a renewal keeps it; a revocation or expiry ends it).
   */
  async statusEntries(communityId: string, at: Date): Promise<CertificationStatusEntry[]> {
    const rows = await this.s.sql.query<{ jti: string; exp: Date; live_until: Date | null }>(
      `SELECT ce.jti, ce.exp,
              (SELECT max(c.not_after) FROM certificate c
                WHERE c.organization_id = ce.organization_id AND c.profile = 'udap-client' AND c.status = 'issued'
                  AND ce.sub = ANY (c.san_uris) AND c.not_before <= $2) AS live_until
         FROM certification ce
         JOIN certificate k ON k.id = ce.certifier_certificate_id
        WHERE ce.community_id = $1::uuid AND ce.status = 'active' AND ce.exp > $2 AND k.status = 'issued'`,
      [communityId, at],
    );
    return rows.map((r) => ({ jti: r.jti, exp: r.exp, appCertificateLiveUntil: r.live_until }));
  }
}
