// Bulk revocations.

/** Why a bulk revocation runs. */
export type BulkRevocationCause = 'organization-suspended' | 'ca-retired' | 'ca-compromised';

/** Progress of a bulk revocation. */
export type BulkRevocationStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A bulk revocation: every live certificate of an organization or an issuing CA, revoked in batches. */
export interface BulkRevocationRecord {
  id: string;
  communityId: string;
  organizationId: string | null;
  caId: string | null;
  /** RFC 5280 §5.3.1 CRLReason code given to every certificate. */
  reason: number;
  cause: BulkRevocationCause;
  status: BulkRevocationStatus;
  /** Certificates to revoke: revoked so far plus those still live, counted when a run starts. */
  total: number | null;
  revoked: number;
  batches: number;
  /** CRL number (decimal) of each CA's CRL that lists all of them, once completed. */
  crlNumbers: Record<string, string>;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
}

/** A live certificate picked up by a bulk revocation batch. */
export interface BulkRevocationTarget {
  id: string;
  issuerId: string;
  serial: Uint8Array;
  status: 'issued' | 'on-hold';
  /** Set when on hold: RFC 5280 §5.3.1 keeps the date of the hold. */
  revokedAt: Date | null;
}
