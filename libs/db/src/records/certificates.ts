// Leaf certificates, and what issuance reads to issue one.
import type { CertificateStatus, KeyType, LeafProfile } from '@anchorage/contracts';
import type { CaRecord } from './cas';
import type { CommunityRecord } from './communities';
import type { OrganizationRecord } from './organizations';

/** A stored leaf certificate (pending ones have no DER yet). */
export interface CertificateRecord {
  id: string;
  issuerId: string;
  organizationId: string;
  serial: Uint8Array;
  profile: LeafProfile;
  status: CertificateStatus;
  subject: string;
  sanUris: string[];
  keyType: KeyType;
  notBefore: Date;
  notAfter: Date;
  tbsDer: Uint8Array;
  der: Uint8Array | null;
  requestKey: string | null;
  requestFingerprint: string | null;
  requestedBy: string;
  revokedAt: Date | null;
  revocationReason: number | null;
  invalidityDate: Date | null;
  /** False while a revocation, hold or release is committed but not yet on a committed CRL. */
  revocationPublished: boolean;
  createdAt: Date;
  issuedAt: Date | null;
  /** When the expiry scan saw it past notAfter (null before). */
  expiredAt: Date | null;
}

/** What issuance reads of an organization (not its profile: the hot path does not need it). */
export type IssuanceOrganization = Pick<OrganizationRecord, 'id' | 'communityId' | 'name' | 'sanUris' | 'status' | 'statusReason' | 'createdAt'>;

/** Organization with its SAN URIs, its community and the community's active issuing CA (or null). */
export interface IssuanceContextRecord {
  org: IssuanceOrganization;
  community: CommunityRecord;
  issuer: CaRecord | null;
}
