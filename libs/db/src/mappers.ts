// Converts Prisma rows to the plain records of records.ts.
import type { CaStatus, CertificateStatus, KeyType, LeafProfile } from '@anchorage/contracts';
import type { CaRecord, CertificateRecord, CommunityRecord, CrlRecord } from './records';
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
  };
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
    tbsDer: bytes(r.tbsDer),
    der: r.der ? bytes(r.der) : null,
    requestKey: r.requestKey,
    requestFingerprint: r.requestFingerprint,
    requestedBy: r.requestedBy,
    revokedAt: r.revokedAt,
    revocationReason: r.revocationReason,
    invalidityDate: r.invalidityDate,
    createdAt: r.createdAt,
    issuedAt: r.issuedAt,
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
