import type { Pool, PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { appendAuditEvent, type SqlRunner } from './audit-store';
import type { AuditInput, CrlEntryRow } from './records';

/** NOTIFY channel on which a committed CRL announces its CA id. */
export const CRL_PUBLISHED_CHANNEL = 'anchorage_crl_published';

/**
 * One CA's CRL generation, serialized in the database: the CA row is locked FOR UPDATE for the
 * whole transaction, so CRL numbers stay strictly increasing across API instances and workers.
 */
export class CrlGeneration {
  private constructor(
    private readonly client: PoolClient,
    /** The CA being published. */
    readonly caId: string,
    /** The last CRL number handed out for this CA (0 when none). */
    readonly lastCrlNumber: bigint,
  ) {}

  /** Runs `fn` inside the locked transaction; commits when it resolves, rolls back when it throws. */
  static async run<T>(pool: Pool, caId: string, fn: (g: CrlGeneration) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ last_crl_number: string }>(
        'SELECT last_crl_number FROM certificate_authority WHERE id = $1 FOR UPDATE',
        [caId],
      );
      if (locked.rowCount === 0) throw new Error(`CA ${caId} not found`);
      const g = new CrlGeneration(client, caId, BigInt(locked.rows[0].last_crl_number));
      const result = await fn(g);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private get sql(): SqlRunner {
    const c = this.client;
    return { query: async (text, params) => (await c.query(text, params)).rows };
  }

  /** True when the given certificate's revocation state is already on a committed CRL. */
  async isRevocationPublished(certificateId: string): Promise<boolean> {
    const r = await this.client.query<{ p: boolean }>('SELECT revocation_published AS p FROM certificate WHERE id = $1', [certificateId]);
    return r.rows[0]?.p === true;
  }

  /**
   * Marks every revocation change visible now as covered by the CRL being built. Rows marked here
   * are committed, so the entries query that follows (a later snapshot) includes them.
   */
  async claimUnpublishedRevocations(): Promise<number> {
    const r = await this.client.query(
      "UPDATE certificate SET revocation_published = true WHERE issuer_id = $1 AND NOT revocation_published",
      [this.caId],
    );
    return r.rowCount ?? 0;
  }

  /**
   * Streams the CA's revoked certificates whose notAfter is at or after `keepExpiredSince`, in
   * serial order, in batches; rows are never all held in memory.
   */
  async streamEntries(keepExpiredSince: Date, batchSize: number, onBatch: (rows: CrlEntryRow[]) => void): Promise<void> {
    const cursor = this.client.query(
      new Cursor(
        `SELECT serial, (extract(epoch FROM revoked_at) * 1000)::float8 AS r, revocation_reason AS c,
                (extract(epoch FROM invalidity_date) * 1000)::float8 AS i
           FROM certificate
          WHERE issuer_id = $1 AND status IN ('revoked', 'on-hold') AND not_after >= $2
          ORDER BY serial`,
        [this.caId, keepExpiredSince],
        { rowMode: 'array' },
      ),
    );
    try {
      for (;;) {
        const rows: [Buffer, number, number, number | null][] = await cursor.read(batchSize);
        if (rows.length === 0) break;
        onBatch(rows.map(([serial, r, c, i]) => ({ serial, revokedAt: new Date(r), reason: c, invalidityDate: i === null ? null : new Date(i) })));
      }
    } finally {
      await cursor.close();
    }
  }

  /** Appends an audit event inside this transaction. */
  async appendAudit(e: AuditInput): Promise<void> {
    await appendAuditEvent(this.sql, e);
  }

  /** Stores the signed CRL and advances the CA's CRL number. */
  async storeCrl(c: { id: string; crlNumber: bigint; thisUpdate: Date; nextUpdate: Date; entryCount: number; sha256: string; der: Uint8Array }): Promise<void> {
    if (c.crlNumber <= this.lastCrlNumber) throw new Error(`CRL number ${c.crlNumber} does not advance past ${this.lastCrlNumber}`);
    await this.client.query(
      'INSERT INTO crl (id, ca_id, crl_number, this_update, next_update, entry_count, sha256, der) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [c.id, this.caId, c.crlNumber.toString(), c.thisUpdate, c.nextUpdate, c.entryCount, c.sha256, Buffer.from(c.der.buffer, c.der.byteOffset, c.der.byteLength)],
    );
    await this.client.query('UPDATE certificate_authority SET last_crl_number = $2 WHERE id = $1', [this.caId, c.crlNumber.toString()]);
    // delivered to every listening instance when (and only if) this transaction commits
    await this.client.query('SELECT pg_notify($1, $2)', [CRL_PUBLISHED_CHANNEL, this.caId]);
  }
}
