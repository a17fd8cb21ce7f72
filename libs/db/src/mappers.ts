// Converts Prisma rows to the plain records of records.ts.
import type { CaStatus, CertificateStatus, ExchangePurpose, KeyType, LeafProfile, OrganizationProfile, OrganizationStatus } from '@anchorage/contracts';
import type { CaRecord, CertificateRecord, CommunityRecord, CrlRecord, InvitationRecord, OrganizationRecord } from './records';
import type * as P from './generated/prisma/client';

const bytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Prisma community row to record. */
export function toCommunity(r: P.Community): CommunityRecord {
  return {
    id: r.id,
    uri: r.uri,
    name: r.name,
    allowedLeafKeyTypes: r.allowedLeafKeyTypes as KeyType[],
    maxLeafValidityDays: r.maxLeafValidityDays,
    crlLifetimeSeconds: r.crlLifetimeSeconds,
    allowGeneratedKeys: r.allowGeneratedKeys,
    requireEndpointControl: r.requireEndpointControl,
    autoApproveVerified: r.autoApproveVerified,
    requireRsaChain: r.requireRsaChain,
    exchangePurposes: r.exchangePurposes as unknown as ExchangePurpose[],
    createdAt: r.createdAt,
  };
}

/** Prisma CA row to record. */
export function toCa(r: P.CertificateAuthority): CaRecord {
  return {
    id: r.id,
    communityId: r.communityId,
    role: r.role as CaRecord['role'],
    status: r.status as CaStatus,
    parentId: r.parentId,
    subjectDer: bytes(r.subjectDer),
    subject: r.subject,
    keyType: r.keyType as KeyType,
    keyRef: r.keyRef,
    spkiDer: bytes(r.spkiDer),
    certificateDer: r.certificateDer ? bytes(r.certificateDer) : null,
    csrDer: r.csrDer ? bytes(r.csrDer) : null,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    lastCrlNumber: r.lastCrlNumber,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    revocationReason: r.revocationReason,
  };
}

/**
 * The TBSCertificate inside a certificate's DER (its first element, RFC 5280 §4.1), as a view. Signed
 * certificates do not store their TBS separately; the DER was written by the platform, so a
 * malformed one is a corrupted database and throws.
 */
export function tbsOfCertificate(der: Uint8Array): Uint8Array {
  const header = (at: number): { content: number; end: number } => {
    if (der[at] !== 0x30) throw new Error(`stored certificate DER is corrupt: expected a SEQUENCE at offset ${at}`);
    const first = der[at + 1];
    if (first < 0x80) return { content: at + 2, end: at + 2 + first };
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    return { content: at + 2 + n, end: at + 2 + n + len };
  };
  const outer = header(0);
  const tbs = header(outer.content);
  if (outer.end !== der.length || tbs.end > outer.end) throw new Error('stored certificate DER is corrupt: lengths do not match');
  return der.subarray(outer.content, tbs.end);
}

/** Prisma certificate row to record. */
export function toCertificate(r: P.Certificate): CertificateRecord {
  return {
    id: r.id,
    issuerId: r.issuerId,
    organizationId: r.organizationId,
    serial: bytes(r.serial),
    profile: r.profile as LeafProfile,
    status: r.status as CertificateStatus,
    subject: r.subject,
    sanUris: r.sanUris,
    keyType: r.keyType as KeyType,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    tbsDer: r.tbsDer ? bytes(r.tbsDer) : tbsOfCertificate(bytes(r.der!)),
    der: r.der ? bytes(r.der) : null,
    requestKey: r.requestKey,
    requestFingerprint: r.requestFingerprint,
    requestedBy: r.requestedBy,
    revokedAt: r.revokedAt,
    revocationReason: r.revocationReason,
    invalidityDate: r.invalidityDate,
    revocationPublished: r.revocationPublished,
    createdAt: r.createdAt,
    issuedAt: r.issuedAt,
    expiredAt: r.expiredAt,
  };
}

/** Prisma CRL row to record. */
export function toCrl(r: Omit<P.Crl, 'der'> & { der?: Uint8Array }): CrlRecord {
  return {
    id: r.id,
    caId: r.caId,
    crlNumber: r.crlNumber,
    thisUpdate: r.thisUpdate,
    nextUpdate: r.nextUpdate,
    entryCount: r.entryCount,
    sha256: r.sha256,
    ...(r.der ? { der: bytes(r.der) } : {}),
  };
}

/** Prisma organization row (with its SAN bindings, oldest first) to record. */
export function toOrganization(r: P.Organization & { sanBindings: { uri: string }[] }): OrganizationRecord {
  return {
    id: r.id, communityId: r.communityId, name: r.name, sanUris: r.sanBindings.map((b) => b.uri), status: r.status as OrganizationStatus,
    statusReason: r.statusReason, profile: (r.profile ?? {}) as Partial<OrganizationProfile>, profileRevision: r.profileRevision, submittedAt: r.submittedAt,
    reviewedAt: r.reviewedAt, createdAt: r.createdAt, webhookUrl: r.webhookUrl,
  };
}

/** Prisma invitation row to record. */
export function toInvitation(r: P.Invitation): InvitationRecord {
  return {
    id: r.id, organizationId: r.organizationId, email: r.email, invitedBy: r.invitedBy, createdAt: r.createdAt, expiresAt: r.expiresAt,
    acceptedAt: r.acceptedAt, acceptedUserId: r.acceptedUserId, revokedAt: r.revokedAt,
  };
}
