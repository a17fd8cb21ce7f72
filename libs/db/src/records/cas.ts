// Certificate authorities.
import type { CaStatus, KeyType } from '@anchorage/contracts';

/** A stored certificate authority. */
export interface CaRecord {
  id: string;
  communityId: string;
  role: 'root' | 'issuing';
  status: CaStatus;
  parentId: string | null;
  subjectDer: Uint8Array;
  subject: string;
  keyType: KeyType;
  keyRef: string;
  spkiDer: Uint8Array;
  certificateDer: Uint8Array | null;
  csrDer: Uint8Array | null;
  notBefore: Date | null;
  notAfter: Date | null;
  lastCrlNumber: bigint;
  createdAt: Date;
  /** When its own certificate was revoked on its parent's CRL (retired or compromised), else null. */
  revokedAt: Date | null;
  revocationReason: number | null;
}
