import type { KeyType, LeafProfile } from './profiles';
import type { RevocationReasonName } from './revocation';

/** A community's policy, as stored and as sent over the wire. */
export interface CommunityPolicy {
  allowedLeafKeyTypes: KeyType[];
  maxLeafValidityDays: number;
  crlLifetimeSeconds: number;
  allowGeneratedKeys: boolean;
}

/** A trust community. */
export interface CommunityView {
  id: string;
  uri: string;
  name: string;
  policy: CommunityPolicy;
  rootCaId: string | null;
  issuingCaId: string | null;
  createdAt: string;
}

/** Lifecycle of a CA. */
export type CaStatus = 'awaiting-certificate' | 'active' | 'retired';

/** A certificate authority of a community. */
export interface CaView {
  id: string;
  communityId: string;
  role: 'root' | 'issuing';
  status: CaStatus;
  subject: string;
  keyType: KeyType;
  notBefore: string | null;
  notAfter: string | null;
  certificateUrl: string;
  crlUrl: string;
  certificatePem: string | null;
  csrPem: string | null;
}

/** A member organization. */
export interface OrganizationView {
  id: string;
  communityId: string;
  name: string;
  sanUris: string[];
  createdAt: string;
}

/** Lifecycle of a leaf certificate. */
export type CertificateStatus = 'pending' | 'issued' | 'revoked' | 'on-hold';

/** An issued leaf certificate with everything a member needs to use it. */
export interface CertificateView {
  id: string;
  issuerId: string;
  organizationId: string;
  serial: string;
  profile: LeafProfile;
  status: CertificateStatus;
  subject: string;
  sanUris: string[];
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  revocationReason: RevocationReasonName | null;
  pem: string;
  chainPem: string;
  derBase64: string;
  x5c: string[];
  crlUrl: string;
  caIssuersUrl: string;
  pkcs12Base64?: string;
}

/** Metadata of a published CRL. */
export interface CrlView {
  caId: string;
  crlNumber: string;
  thisUpdate: string;
  nextUpdate: string;
  entryCount: number;
  sha256: string;
  url: string;
}
