// Signed checkpoints of the audit chain head (docs/audit.md; migration 20261123080000_audit_checkpoint).
// Append-only like audit_event; the primary key is the chain position (chain_seq) of the event a checkpoint names,
// so workers checkpointing the same head at the same moment store one checkpoint: the later INSERT does
// nothing and both go on with the stored row.
import { AUDIT_CHECKPOINT_CHANNEL } from './channels';
import { listenOn } from './crl-listener';
import { withPooledClient } from './pg-transaction';
import type { StoreScope } from './scope';

/** Advisory lock class of the writers of the published newest checkpoint (see withPublishLock). */
const AUDIT_CHECKPOINT_PUBLISH_LOCK = 727_004;

/** The newest linked event of the audit chain (`seq`: its chain position). */
export interface AuditChainHead {
  seq: bigint;
  hash: string;
}

/** A checkpoint to store: what it names and its compact JWS. */
export interface NewAuditCheckpoint {
  seq: bigint;
  eventHash: string;
  eventCount: bigint;
  signedAt: Date;
  keyId: string;
  jws: string;
}

/** A stored checkpoint. */
export interface AuditCheckpointRecord extends NewAuditCheckpoint {
  createdAt: Date;
}

interface Row {
  seq: string; event_hash: string; event_count: string; signed_at: Date; key_id: string; jws: string; created_at: Date;
}

// as text, so no bigint loses digits; ORDER BY names the table's column, not this output column (text order)
const COLUMNS = 'seq::text, event_hash, event_count::text, signed_at, key_id, jws, created_at';

function toRecord(r: Row): AuditCheckpointRecord {
  return {
    seq: BigInt(r.seq), eventHash: r.event_hash, eventCount: BigInt(r.event_count), signedAt: r.signed_at, keyId: r.key_id, jws: r.jws, createdAt: r.created_at,
  };
}

/** Audit checkpoints and the chain head they are taken of (short statements of their own on the pool). */
export class AuditCheckpointStore {
  constructor(private readonly s: StoreScope) {}

  /** The newest linked audit event's chain position and hash; null while nothing is linked. */
  async head(): Promise<AuditChainHead | null> {
    const r = await this.s.pool.query<{ seq: string; hash: string }>(
      // the newest link whose event the log still holds (a link outlives an event deleted with the
      // trigger bypassed; a checkpoint must name an event the log has)
      `SELECT l.chain_seq::text AS seq, l.hash FROM audit_link l CROSS JOIN LATERAL (SELECT 1 FROM audit_event e WHERE e.seq = l.seq LIMIT 1) e
       ORDER BY l.chain_seq DESC LIMIT 1`,
    );
    return r.rows[0] ? { seq: BigInt(r.rows[0].seq), hash: r.rows[0].hash } : null;
  }

  /** The checkpoint of the highest sequence number, if any. */
  async latest(): Promise<AuditCheckpointRecord | null> {
    const r = await this.s.pool.query<Row>(`SELECT ${COLUMNS} FROM audit_checkpoint ORDER BY audit_checkpoint.seq DESC LIMIT 1`);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  /** The checkpoint naming event `seq`, if any. */
  async find(seq: bigint): Promise<AuditCheckpointRecord | null> {
    const r = await this.s.pool.query<Row>(`SELECT ${COLUMNS} FROM audit_checkpoint WHERE seq = $1`, [seq.toString()]);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  /** Stores `cp` unless a checkpoint of the same event exists; returns the stored one, and whether it is `cp`. */
  async record(cp: NewAuditCheckpoint): Promise<{ checkpoint: AuditCheckpointRecord; created: boolean }> {
    const inserted = await this.s.pool.query<Row>(
      `INSERT INTO audit_checkpoint (seq, event_hash, event_count, signed_at, key_id, jws) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (seq) DO NOTHING RETURNING ${COLUMNS}`,
      [cp.seq.toString(), cp.eventHash, cp.eventCount.toString(), cp.signedAt, cp.keyId, cp.jws],
    );
    if (inserted.rows[0]) return { checkpoint: toRecord(inserted.rows[0]), created: true };
    const stored = await this.find(cp.seq);
    if (!stored) throw new Error(`audit checkpoint ${cp.seq} was neither stored nor found`);
    return { checkpoint: stored, created: false };
  }

  /**
   * Runs `fn` while holding a session advisory lock shared by every process that writes the published
   * newest checkpoint, so two writers compare and replace it one after the other and it never goes back.
   */
  async withPublishLock<T>(fn: () => Promise<T>): Promise<T> {
    return withPooledClient(this.s.pool, async (client, guard) => {
      await client.query('SELECT pg_advisory_lock($1)', [AUDIT_CHECKPOINT_PUBLISH_LOCK]);
      try {
        return await fn();
      } finally {
        // a session lock that cannot be released dies with its (discarded) connection
        if (!guard.broken()) await client.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHECKPOINT_PUBLISH_LOCK]).catch(guard.discard);
      }
    });
  }

  /** Calls `onCheckpoint` whenever any process commits a checkpoint (and after a dropped connection came back); resolves to a stop function. */
  onCommitted(onCheckpoint: () => void, opts: { retryMs?: number } = {}): Promise<() => Promise<void>> {
    return listenOn(this.s.pool, AUDIT_CHECKPOINT_CHANNEL, () => onCheckpoint(), { ...opts, onReconnect: onCheckpoint });
  }
}
