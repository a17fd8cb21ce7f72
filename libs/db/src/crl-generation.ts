import type { Pool, PoolClient } from 'pg';
import { CRL_PUBLISHED_CHANNEL } from './channels';
import { appendAuditEvent } from './audit-store';
import { OUTBOX_INSERT_SQL, outboxParams } from './outbox-store';
import { pgRunner, pgTransaction, type SqlRunner } from './pg-transaction';
import type { AuditInput, ClaimedRevocations, CrlEntryRow, NoticeSerial, OutboxJob } from './records';


/**
 * One CA's CRL generation, serialized in the database: the CA row is locked FOR NO KEY UPDATE for the
 * whole transaction, so CRL numbers stay strictly increasing across API instances and workers. Not FOR
 * UPDATE: that lock also conflicts with the KEY SHARE lock every certificate INSERT takes on its issuer
 * (the foreign key check), so issuance from the CA would wait for the CRL to be signed and stored.
 */
export class CrlGeneration {
  private constructor(
    private readonly client: PoolClient,
    /** The CA being published. */
    readonly caId: string,
    /** The last CRL number handed out for this CA (0 when none). */
    readonly lastCrlNumber: bigint,
    /** The process id of this generation's PostgreSQL backend (pg_backend_pid()), to tell its load from others'. */
    readonly backendPid: number,
  ) {}

  /** Runs `fn` inside the locked transaction; commits when it resolves, rolls back when it throws. */
  static run<T>(pool: Pool, caId: string, fn: (g: CrlGeneration) => Promise<T>): Promise<T> {
    return pgTransaction(pool, async (client) => {
      const locked = await client.query<{ last_crl_number: string; pid: number }>(
        'SELECT last_crl_number, pg_backend_pid() AS pid FROM certificate_authority WHERE id = $1 FOR NO KEY UPDATE',
        [caId],
      );
      if (locked.rowCount === 0) throw new Error(`CA ${caId} not found`);
      return fn(new CrlGeneration(client, caId, BigInt(locked.rows[0].last_crl_number), locked.rows[0].pid));
    });
  }

  private get sql(): SqlRunner {
    return pgRunner(this.client);
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
   * Marks the revocations of this CA's subordinate CAs (retired or compromised, retire-issuing-ca.ts)
   * not yet on a committed CRL as covered by the CRL being built, and returns them (certificate, reason
   * code, revocation date) for its revocation notice. Normally none: a CA ends rarely.
   */
  async claimRevokedChildCas(): Promise<{ certificateDer: Uint8Array; reason: number; revokedAt: Date }[]> {
    const r = await this.client.query<{ certificate_der: Buffer; revocation_reason: number; revoked_at: Date }>(
      `UPDATE certificate_authority SET revocation_published = true
        WHERE parent_id = $1 AND NOT revocation_published AND crl_entry_der IS NOT NULL AND certificate_der IS NOT NULL
        RETURNING certificate_der, revocation_reason, revoked_at`,
      [this.caId],
    );
    return r.rows.map((x) => ({ certificateDer: x.certificate_der, reason: x.revocation_reason, revokedAt: x.revoked_at }));
  }

  /** True when the community has an active revocation subscription (its CRLs then become revocation notices). */
  async hasActiveSubscriptions(communityId: string): Promise<boolean> {
    const r = await this.client.query<{ e: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM revocation_subscription WHERE community_id = $1 AND status = 'active') AS e", [communityId],
    );
    return r.rows[0].e;
  }

  /**
   * claimUnpublishedRevocations, listing what it claimed for the revocation notice: the serials added
   * (with reason and date) and released from hold, each list at most `cap` long, aggregated by the
   * server so a bulk revocation of a million certificates sends one bounded row back.
   */
  async claimUnpublishedRevocationsListed(cap: number): Promise<ClaimedRevocations> {
    const r = await this.client.query<{ n: number; added: NoticeSerial[] | null; added_count: number; released: string[] | null }>(
      `WITH claimed AS (
         UPDATE certificate SET revocation_published = true WHERE issuer_id = $1 AND NOT revocation_published
         RETURNING serial, status, revocation_reason, revoked_at)
       SELECT (SELECT count(*)::int FROM claimed) AS n,
              (SELECT count(*)::int FROM claimed WHERE status IN ('revoked', 'on-hold')) AS added_count,
              (SELECT jsonb_agg(jsonb_build_object('serial', encode(serial, 'hex'), 'reason', revocation_reason,
                                                   'revokedAt', to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY serial)
                 FROM (SELECT * FROM claimed WHERE status IN ('revoked', 'on-hold') ORDER BY serial LIMIT $2) a) AS added,
              (SELECT jsonb_agg(encode(serial, 'hex') ORDER BY serial)
                 FROM (SELECT serial FROM claimed WHERE status = 'issued' ORDER BY serial LIMIT $2) b) AS released`,
      [this.caId, cap],
    );
    const row = r.rows[0];
    return { claimed: row.n, added: row.added ?? [], addedCount: row.added_count, released: row.released ?? [] };
  }

  /**
   * Records the revocation notice of the CRL just stored, a delivery for every active subscription of
   * the community (its id derived from subscription, CA and CRL number, so it is the same however
   * often it is computed), and each delivery's job in the outbox, all in this transaction: a notice
   * exists exactly when its CRL does. Returns the delivery ids.
   */
  async recordRevocationNotice(
    n: { communityId: string; crlId: string; crlNumber: bigint; thisUpdate: Date; nextUpdate: Date; claimed: ClaimedRevocations },
    job: { queue: string; name: string; jobIdPrefix: string },
  ): Promise<string[]> {
    const r = await this.client.query<{ id: string }>(
      `WITH notice AS (
         INSERT INTO revocation_notice (id, community_id, ca_id, crl_id, crl_number, previous_crl_number, this_update, next_update, serials, serial_count, released)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb) RETURNING id),
       delivery AS (
         INSERT INTO revocation_delivery (id, subscription_id, notice_id)
         SELECT md5('revocation-delivery:' || s.id || ':' || $2::text || ':' || $4::text)::uuid, s.id, notice.id
           FROM revocation_subscription s CROSS JOIN notice
          WHERE s.community_id = $1 AND s.status = 'active'
         RETURNING id),
       queued AS (
         INSERT INTO outbox (id, job_id, queue, name, payload)
         SELECT gen_random_uuid(), $11 || delivery.id::text, $12, $13, jsonb_build_object('deliveryId', delivery.id::text) FROM delivery
         ON CONFLICT (job_id) DO NOTHING)
       SELECT id::text FROM delivery`,
      [
        n.communityId, this.caId, n.crlId, n.crlNumber.toString(), this.lastCrlNumber > 0n ? this.lastCrlNumber.toString() : null, n.thisUpdate, n.nextUpdate,
        JSON.stringify(n.claimed.added), n.claimed.addedCount, JSON.stringify(n.claimed.released), job.jobIdPrefix, job.queue, job.name,
      ],
    );
    return r.rows.map((x) => x.id);
  }

  /**
   * Revoked or held certificates of this CA whose entry DER is not stored yet (rows revoked before
   * the crl_entry_der migration); normally none. The caller encodes them and calls storeEntryDers.
   */
  async entriesMissingDer(): Promise<(CrlEntryRow & { id: string })[]> {
    const r = await this.client.query<{ id: string; serial: Buffer; revoked_at: Date; c: number; i: Date | null }>(
      `SELECT id, serial, revoked_at, revocation_reason AS c, invalidity_date AS i FROM certificate
        WHERE issuer_id = $1 AND status IN ('revoked', 'on-hold') AND crl_entry_der IS NULL ORDER BY serial`,
      [this.caId],
    );
    return r.rows.map((x) => ({ id: x.id, serial: x.serial, revokedAt: x.revoked_at, reason: x.c, invalidityDate: x.i }));
  }

  /** Stores entry DERs computed for rows listed by entriesMissingDer. */
  async storeEntryDers(entries: { id: string; der: Uint8Array }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.client.query(
      `UPDATE certificate c SET crl_entry_der = e.der FROM unnest($1::uuid[], $2::bytea[]) AS e(id, der)
        WHERE c.id = e.id AND c.status IN ('revoked', 'on-hold')`,
      [entries.map((e) => e.id), entries.map((e) => Buffer.from(e.der.buffer, e.der.byteOffset, e.der.byteLength))],
    );
  }

  /**
   * A size for the encoder's buffer, in octets, without reading the entries: the CA's latest CRL
   * (its DER size, or 48 octets per entry where its DER is no longer kept) plus `added` entries of at
   * most 82 octets each (a 20-octet serial, reason and invalidity date), `added` being the revocation
   * changes this generation claimed. Entries only leave a CRL otherwise (expiry), so this is normally
   * enough; when it is not, the encoder grows its buffer (a copy), so it is a hint, never a limit.
   * (It replaced a count and sum over every entry, a second pass over the CRL index that took about
   * a fifth of a 100k-entry CRL's database time.)
   */
  async entryBytesHint(added: number): Promise<number> {
    const r = await this.client.query<{ n: number; b: string | null }>(
      'SELECT entry_count AS n, octet_length(der) AS b FROM crl WHERE ca_id = $1 ORDER BY crl_number DESC LIMIT 1',
      [this.caId],
    );
    const last = r.rows[0];
    const previous = last ? (last.b === null ? last.n * 48 : Number(last.b)) : 0;
    return previous + added * 82;
  }

  /**
   * Streams the stored entry DERs of the CA's revoked certificates whose notAfter is at or after
   * `keepExpiredSince`, in serial order, concatenated by the server into chunks of up to
   * `chunkEntries` entries (keyset pages over the CRL index: measured faster than a row cursor or a
   * windowed GROUP BY, and no per-row objects are built). Only one chunk is held at a time.
   */
  async streamEncodedEntries(keepExpiredSince: Date, chunkEntries: number, onChunk: (bytes: Uint8Array, count: number) => void | Promise<void>): Promise<void> {
    let after = Buffer.alloc(0);
    for (;;) {
      // max over hex in the C collation orders like bytea (memcmp, then length), as the index does.
      // The page comes off the CRL index in serial order and the aggregate takes its rows as they come:
      // no ORDER BY inside string_agg, which PostgreSQL before 16 would sort again (measured: most of a
      // chunk's time at 20k entries). Which entries a chunk holds is fixed by the page's LIMIT and the
      // keyset, whatever the order; a CRL's entries need no order (RFC 5280 §5.1.2.6), tests check it.
      const r = await this.client.query<[Buffer | null, number, string | null]>({
        text: `SELECT string_agg(crl_entry_der, ''::bytea), count(*)::int, max(encode(serial, 'hex') COLLATE "C")
                 FROM (SELECT serial, crl_entry_der FROM certificate
                        WHERE issuer_id = $1 AND status IN ('revoked', 'on-hold') AND not_after >= $2 AND serial > $3
                        ORDER BY serial LIMIT $4) page`,
        values: [this.caId, keepExpiredSince, after, chunkEntries],
        rowMode: 'array',
      });
      const [bytes, count, last] = r.rows[0];
      if (count === 0 || bytes === null || last === null) return;
      await onChunk(bytes, count);
      if (count < chunkEntries) return;
      after = Buffer.from(last, 'hex');
    }
  }

  /**
   * The stored entries of this CA's revoked subordinate CAs (retired or compromised issuing CAs),
   * concatenated, kept like leaves' until a CRL issued after their expiry listed them (RFC 5280 §3.3).
   */
  async revokedChildCaEntries(keepExpiredSince: Date): Promise<{ bytes: Uint8Array; count: number }> {
    const r = await this.client.query<{ b: Buffer | null; n: number }>(
      `SELECT string_agg(crl_entry_der, ''::bytea ORDER BY id) AS b, count(*)::int AS n FROM certificate_authority
        WHERE parent_id = $1 AND crl_entry_der IS NOT NULL AND not_after >= $2`,
      [this.caId, keepExpiredSince],
    );
    return { bytes: r.rows[0].b ?? new Uint8Array(0), count: r.rows[0].n };
  }

  /** Writes an outbox job in this transaction (it commits with the CRL, or not at all). */
  async enqueue(job: OutboxJob): Promise<void> {
    await this.client.query(OUTBOX_INSERT_SQL, outboxParams([job]));
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
    await this.client.query('SELECT pg_notify($1, $2)', [CRL_PUBLISHED_CHANNEL, `${this.caId}:${c.crlNumber}`]);
  }
}
