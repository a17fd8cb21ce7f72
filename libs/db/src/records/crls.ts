// CRLs, the revocations that go into them, and what a CRL generation claimed.
import type { NoticeSerial } from './revocation-subscriptions';

/** A stored CRL (DER included only where asked for). */
export interface CrlRecord {
  id: string;
  caId: string;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entryCount: number;
  sha256: string;
  der?: Uint8Array;
}

/** A revoked certificate as it goes into a CRL. */
export interface CrlEntryRow {
  serial: Uint8Array;
  revokedAt: Date;
  reason: number;
  invalidityDate: Date | null;
}

/** What a CRL generation claimed, listed for its revocation notice. */
export interface ClaimedRevocations {
  /** Revocation changes claimed (added and released). */
  claimed: number;
  /** Serials added, in serial order, at most the cap asked for. */
  added: NoticeSerial[];
  /** How many serials were added (may exceed `added.length`). */
  addedCount: number;
  /** Serials released from hold (hex), at most the cap. */
  released: string[];
}
