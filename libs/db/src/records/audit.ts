// The audit log.

/** An audit event to append. */
export interface AuditInput {
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/** A stored audit event: its insertion number, and its chain place and links once the sequencer linked it. */
export interface AuditRecord extends AuditInput {
  seq: bigint;
  chainSeq: bigint | null;
  prevHash: string | null;
  hash: string | null;
}

/** An audit event linked into the hash chain. */
export interface ChainedAuditRecord extends AuditRecord {
  chainSeq: bigint;
  prevHash: string;
  hash: string;
}
