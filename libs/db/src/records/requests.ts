// Certificate requests.
import type { KeyType, LeafProfile } from '@anchorage/contracts';

/** States of a certificate request. */
export type CertificateRequestStatus = 'submitted' | 'approved' | 'issued' | 'rejected' | 'cancelled';

/** A stored certificate request. */
export interface CertificateRequestRecord {
  id: string;
  organizationId: string;
  profile: LeafProfile;
  sanUris: string[];
  keyType: KeyType;
  csrDer: Uint8Array;
  csrSha256: string;
  status: CertificateRequestStatus;
  reason: string | null;
  clientRequestId: string | null;
  renewalOf: string | null;
  requestedBy: string;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  certificateId: string | null;
}
