// The transactional outbox.

/** A job written in the same transaction as the state change that implies it (transactional outbox). */
export interface OutboxJob {
  /** Derived from the subject (e.g. `bulk-revoke.<id>`): the BullMQ job id, unique across the outbox. */
  jobId: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/** An outbox row and its delivery state. */
export interface OutboxRecord extends OutboxJob {
  id: string;
  createdAt: Date;
  relayedAt: Date | null;
  relayCount: number;
  completedAt: Date | null;
  lastError: string | null;
}
