import type { Pool } from 'pg';
import { AuditCheckpointStore } from './audit-checkpoint-store';
import {
  appendAuditEvent, appendAuditEvents, linkAuditEvents, readAuditChain, readAuditPage, unlinkedAuditEvents, type AuditFilter, type LinkOutcome,
} from './audit-store';
import { connect, type Connection, type PrismaLike } from './connection';
import { ContextCache } from './context-cache';
import { CrlGeneration } from './crl-generation';
import { listenForCrls } from './crl-listener';
import { DbConflictError, isUniqueViolation } from './errors';
import { IdentityStore } from './identity-store';
import { OnboardingStore } from './onboarding-store';
import { Reports } from './reports';
import { RequestStore } from './request-store';
import { OutboxRelayStore, OutboxWriter } from './outbox-store';
import { BulkRevocationStore } from './bulk-revocation-store';
import { NoticeStore } from './notice-store';
import {
  completeWithAudit, findIssuanceContext, recordIntentWithAudit, useApiTokenThrottled,
  type IssuanceContextRecord, type IssuanceIntentInput,
} from './issuance-store';
import { toCa, toCertificate, toCommunity, toCrl, toOrganization } from './mappers';
import { poolRunner, withPooledClient, type SqlRunner } from './pg-transaction';
import type { CaStatus } from '@anchorage/contracts';
import type {
  AuditInput, AuditRecord, ChainedAuditRecord, CaRecord, CertificateRecord, CommunityRecord, CrlRecord, ListOrder, OrganizationRecord,
} from './records';
import type { PrismaClient } from './generated/prisma/client';

/** Advisory lock class of the publish-directory writers (the second key is the CA id's hash). */
const CRL_PUBLISH_LOCK = 727_003;

/** Filter of certificate lists. */
export interface CertificateFilter {
  organizationId?: string;
  issuerId?: string;
  status?: string;
  serialHex?: string;
  san?: string;
  /** Only certificates issued in these communities (an operator's scope). */
  communityIds?: string[];
}

/** Page of a list and the total count, for `Content-Range`. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Storage of the platform, with methods named for what the authority means to do. */
export class Database {
  private constructor(
    private readonly conn: Connection,
    private readonly db: PrismaLike,
    private readonly inTransaction: boolean,
    private readonly contexts: ContextCache,
  ) {}

  /** Opens the database at `url`; `contextCacheTtlMs` sets the issuance-context cache lifetime (0: off). */
  static open(url: string, poolSize = 10, opts: { contextCacheTtlMs?: number } = {}): Database {
    const conn = connect(url, poolSize);
    return new Database(conn, conn.prisma, false, new ContextCache(opts.contextCacheTtlMs));
  }

  /** The pg pool, for libs/db's own streaming queries. */
  get pool(): Pool {
    return this.conn.pool;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.conn.prisma.$disconnect();
    await this.conn.pool.end();
  }

  /** Runs `fn` in one database transaction; everything it writes commits or nothing does. */
  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return (this.db as PrismaClient).$transaction((tx) => fn(new Database(this.conn, tx as PrismaLike, true, this.contexts)), {
      timeout: 60_000,
      maxWait: 30_000,
    });
  }

  /** Opens the serialized CRL generation of one CA (see crl-generation.ts). */
  async withCrlGeneration<T>(caId: string, fn: (g: CrlGeneration) => Promise<T>): Promise<T> {
    return CrlGeneration.run(this.conn.pool, caId, fn);
  }

  /**
   * Runs `fn` while holding a session advisory lock on the CA's published files, passing the
   * newest committed CRL number. Writers in every process serialize here, so one that holds an
   * older CRL sees it is older and skips: a published file never goes backwards.
   */
  async withCrlPublishLock<T>(caId: string, fn: (newestCrlNumber: bigint) => Promise<T>): Promise<T> {
    return withPooledClient(this.conn.pool, async (client, guard) => {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [CRL_PUBLISH_LOCK, caId]);
      try {
        const r = await client.query<{ n: string | null }>('SELECT max(crl_number)::text AS n FROM crl WHERE ca_id = $1', [caId]);
        return await fn(BigInt(r.rows[0]?.n ?? '0'));
      } finally {
        // a session lock that cannot be released dies with its (discarded) connection
        if (!guard.broken()) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [CRL_PUBLISH_LOCK, caId]).catch(guard.discard);
      }
    });
  }

  /**
   * Calls `onCrl` whenever any instance commits a new CRL (its CA id and CRL number); returns a
   * function that stops listening. Survives a dropped connection (see crl-listener.ts).
   */
  async onCrlPublished(
    onCrl: (caId: string, crlNumber: bigint) => void,
    opts: { onReconnect?: () => void; retryMs?: number } = {},
  ): Promise<() => Promise<void>> {
    return listenForCrls(this.conn.pool, onCrl, opts);
  }

  private get sql(): SqlRunner {
    const db = this.db;
    return { query: (text, params) => db.$queryRawUnsafe(text, ...params) as never };
  }

  /** Where a single statement runs: the current transaction, or the pool (a statement of its own). */
  private get statementTarget(): Pool | SqlRunner {
    return this.inTransaction ? this.sql : this.conn.pool;
  }

  /** statementTarget as a SqlRunner. */
  private get runner(): SqlRunner {
    return this.inTransaction ? this.sql : poolRunner(this.conn.pool);
  }

  /** Appends an audit event, unlinked (inside the current transaction, if any); the sequencer links it (linkAudit). */
  async appendAudit(e: AuditInput): Promise<AuditRecord> {
    return appendAuditEvent(this.runner, e);
  }

  /** Appends audit events, in order, with one INSERT (inside the current transaction, if any). */
  async appendAuditEvents(events: AuditInput[]): Promise<void> {
    await appendAuditEvents(this.runner, events);
  }

  /** Reads up to `limit` audit events after `afterSeq`, in insertion order, linked or not. */
  readAudit(afterSeq: bigint, limit: number, filter: AuditFilter = {}): Promise<AuditRecord[]> {
    return readAuditPage(this.sql, afterSeq, limit, filter);
  }

  /** Reads up to `limit` linked audit events after chain position `afterChainSeq`, in chain order. */
  readAuditChain(afterChainSeq: bigint, limit: number): Promise<ChainedAuditRecord[]> {
    return readAuditChain(this.sql, afterChainSeq, limit);
  }

  /** One round of the audit sequencer: links up to `max` committed rows into the chain (see audit-store.ts). */
  linkAudit(max = 5000): Promise<LinkOutcome> {
    return linkAuditEvents(this.conn.pool, max);
  }

  /** Audit rows not linked yet, and how many of them were written more than `boundMs` ago. */
  unlinkedAudit(boundMs: number): Promise<{ count: number; overdue: number; oldestSeq: bigint | null }> {
    return unlinkedAuditEvents(this.conn.pool, boundMs);
  }

  // --- communities -------------------------------------------------------------------------

  /** Stores a new community (`requireRsaChain` absent: false); a duplicate URI is a DbConflictError('community_uri'). */
  async createCommunity(c: Omit<CommunityRecord, 'createdAt' | 'requireRsaChain'> & { requireRsaChain?: boolean }): Promise<CommunityRecord> {
    try {
      return toCommunity(await this.db.community.create({ data: c }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('community_uri', `a community with URI ${c.uri} exists already`, { uri: c.uri });
      throw err;
    }
  }

  /** Finds a community by id. */
  async findCommunity(id: string): Promise<CommunityRecord | null> {
    const r = await this.db.community.findUnique({ where: { id } });
    return r ? toCommunity(r) : null;
  }

  /** Lists communities, newest first; `onlyIds` restricts the list to those (an actor's scope). */
  async listCommunities(skip = 0, take = 100, onlyIds?: string[], order?: ListOrder): Promise<Page<CommunityRecord>> {
    const where = onlyIds ? { id: { in: onlyIds } } : {};
    const [rows, total] = await Promise.all([
      this.db.community.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.db.community.count({ where }),
    ]);
    return { items: rows.map(toCommunity), total };
  }

  // --- certificate authorities -------------------------------------------------------------

  /** Stores a new CA. */
  async createCa(ca: Omit<CaRecord, 'createdAt' | 'lastCrlNumber' | 'revokedAt' | 'revocationReason'>): Promise<CaRecord> {
    this.contexts.clear();
    return toCa(await this.db.certificateAuthority.create({ data: { ...ca, subjectDer: Buffer.from(ca.subjectDer), spkiDer: Buffer.from(ca.spkiDer), certificateDer: ca.certificateDer && Buffer.from(ca.certificateDer), csrDer: ca.csrDer && Buffer.from(ca.csrDer) } }));
  }

  /** Finds a CA by id. */
  async findCa(id: string): Promise<CaRecord | null> {
    const r = await this.db.certificateAuthority.findUnique({ where: { id } });
    return r ? toCa(r) : null;
  }

  /** The CAs of a community, root first. */
  async listCasOfCommunity(communityId: string): Promise<CaRecord[]> {
    const rows = await this.db.certificateAuthority.findMany({ where: { communityId }, orderBy: [{ role: 'desc' }, { createdAt: 'asc' }] });
    return rows.map(toCa);
  }

  /** Every CA that has a certificate (for serving and CRL refresh). */
  async listCasWithCertificate(): Promise<CaRecord[]> {
    const rows = await this.db.certificateAuthority.findMany({ where: { certificateDer: { not: null } }, orderBy: { createdAt: 'asc' } });
    return rows.map(toCa);
  }

  /** Every CA, oldest first, with a certificate or awaiting one (the start-up check of the keys the platform signs with). */
  async listCas(): Promise<CaRecord[]> {
    const rows = await this.db.certificateAuthority.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(toCa);
  }

  /**
   * The newest sealed TOTP secret and the newest sealed webhook secret, with the ids they are sealed
   * to, or null where there is none: opening them proves the key-encryption key is the one they were
   * sealed under.
   */
  async newestSealedSecrets(): Promise<{ totp: { userId: string; sealed: string } | null; webhook: { organizationId: string; sealed: string } | null }> {
    const [totp] = await this.db.$queryRawUnsafe<{ id: string; sealed: string }[]>(
      'SELECT id::text AS id, totp_secret_sealed AS sealed FROM app_user WHERE totp_secret_sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1',
    );
    const [webhook] = await this.db.$queryRawUnsafe<{ id: string; sealed: string }[]>(
      'SELECT id::text AS id, webhook_secret_sealed AS sealed FROM organization WHERE webhook_secret_sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1',
    );
    return { totp: totp ? { userId: totp.id, sealed: totp.sealed } : null, webhook: webhook ? { organizationId: webhook.id, sealed: webhook.sealed } : null };
  }

  /**
   * CAs with a revocation, hold or release committed but on no committed CRL yet (a crash or a failed
   * signature between the two); read through the partial index on unpublished rows.
   */
  async casWithUnpublishedRevocations(): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ issuer_id: string }[]>('SELECT DISTINCT issuer_id::text AS issuer_id FROM certificate WHERE NOT revocation_published');
    return rows.map((r) => r.issuer_id);
  }

  /** Locks a CA row for the rest of the transaction and returns its current state. */
  async lockCa(id: string): Promise<CaRecord | null> {
    await this.db.$queryRawUnsafe('SELECT 1 AS locked FROM certificate_authority WHERE id = $1::uuid FOR UPDATE', id);
    return this.findCa(id);
  }

  /**
   * Ends an active (or retired) CA: it issues nothing more. With `revocation`, its own certificate is
   * revoked on its parent's CRL from the next CRL on. False when the CA was not in one of `from`.
   */
  async endCa(id: string, from: CaStatus[], to: 'retired' | 'compromised', revocation: { revokedAt: Date; reason: number; crlEntryDer: Uint8Array } | null): Promise<boolean> {
    this.contexts.clear(); // issuance reads the active issuing CA through the context cache
    const r = await this.db.certificateAuthority.updateMany({
      where: { id, status: { in: from } },
      data: { status: to, ...(revocation ? { revokedAt: revocation.revokedAt, revocationReason: revocation.reason, crlEntryDer: Buffer.from(revocation.crlEntryDer) } : {}) },
    });
    return r.count === 1;
  }

  /**
   * Installs the certificate of a CA that was awaiting one and makes it active; `subject` replaces
   * the CA's Name when the certificate's subject differs from the requested one.
   */
  async activateCa(
    id: string, certificateDer: Uint8Array, notBefore: Date, notAfter: Date, parentId: string | null,
    subject?: { der: Uint8Array; text: string },
  ): Promise<CaRecord> {
    this.contexts.clear();
    const r = await this.db.certificateAuthority.update({
      where: { id, status: 'awaiting-certificate' },
      data: {
        status: 'active', certificateDer: Buffer.from(certificateDer), notBefore, notAfter, parentId,
        ...(subject ? { subjectDer: Buffer.from(subject.der), subject: subject.text } : {}),
      },
    });
    return toCa(r);
  }

  // --- organizations and SAN bindings --------------------------------------------------------

  /** Stores a new organization (active unless `status` says otherwise, e.g. a draft an invitation starts). */
  async createOrganization(o: { id: string; communityId: string; name: string; status?: 'active' | 'draft' }): Promise<OrganizationRecord> {
    const r = await this.db.organization.create({ data: o });
    return toOrganization({ ...r, sanBindings: [] });
  }

  /**
   * Binds SAN URIs to an organization for good. A URI already bound to this organization is kept;
   * one bound to another organization is a DbConflictError('san_binding') naming the owner.
   */
  async bindSanUris(communityId: string, organizationId: string, uris: string[]): Promise<void> {
    this.contexts.clear();
    for (const uri of uris) {
      const existing = await this.db.sanBinding.findUnique({ where: { communityId_uri: { communityId, uri } } });
      if (existing) {
        if (existing.organizationId !== organizationId) {
          throw new DbConflictError('san_binding', `SAN URI ${uri} belongs to another organization of this community`, { uri, organizationId: existing.organizationId });
        }
        continue;
      }
      try {
        await this.db.sanBinding.create({ data: { communityId, uri, organizationId } });
      } catch (err) {
        if (isUniqueViolation(err)) throw new DbConflictError('san_binding', `SAN URI ${uri} was bound concurrently by another request`, { uri });
        throw err;
      }
    }
  }

  /** Which of `uris` are bound in the community, and to whom. */
  async sanOwners(communityId: string, uris: string[]): Promise<{ uri: string; organizationId: string }[]> {
    if (uris.length === 0) return [];
    return this.db.sanBinding.findMany({ where: { communityId, uri: { in: uris } }, select: { uri: true, organizationId: true } });
  }

  /** Finds an organization with its SAN URIs. */
  async findOrganization(id: string): Promise<OrganizationRecord | null> {
    const r = await this.db.organization.findUnique({ where: { id }, include: { sanBindings: { orderBy: { createdAt: 'asc' } } } });
    return r ? toOrganization(r) : null;
  }

  /** Lists organizations, optionally of one community; `scope` restricts to communities or to one organization. */
  async listOrganizations(
    communityId: string | undefined, skip = 0, take = 100, scope: { communityIds?: string[]; organizationId?: string; status?: string } = {}, order?: ListOrder,
  ): Promise<Page<OrganizationRecord>> {
    const where = {
      AND: [
        communityId ? { communityId } : {},
        scope.status ? { status: scope.status } : {},
        scope.communityIds ? { communityId: { in: scope.communityIds } } : {},
        scope.organizationId ? { id: scope.organizationId } : {},
      ],
    };
    const [rows, total] = await Promise.all([
      this.db.organization.findMany({ where, include: { sanBindings: { orderBy: { createdAt: 'asc' } } }, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.db.organization.count({ where }),
    ]);
    return { items: rows.map(toOrganization), total };
  }

  // --- certificates ----------------------------------------------------------------------------

  /** Finds the certificate recorded under an idempotency key. */
  async findCertificateByRequestKey(requestKey: string): Promise<CertificateRecord | null> {
    const r = await this.db.certificate.findUnique({ where: { requestKey } });
    return r ? toCertificate(r) : null;
  }

  /**
   * Records the intent to issue and its audit events (e.g. certificate.intent, signature.before) in
   * one transaction, so both are committed before anything is signed. Refuses (DbConflictError
   * 'san_binding') if a SAN URI is not bound to the organization in `communityId` at that moment,
   * or ('issuer_inactive') if the issuer is no longer an active issuing CA.
   */
  async recordIssuanceIntentAudited(c: IssuanceIntentInput, communityId: string, events: AuditInput[]): Promise<CertificateRecord> {
    return recordIntentWithAudit(this.statementTarget, c, communityId, events);
  }

  /** Stores the signed certificate of a pending issuance and its audit events in one transaction. */
  async completeIssuanceAudited(pending: CertificateRecord, der: Uint8Array, issuedAt: Date, events: AuditInput[]): Promise<CertificateRecord> {
    return completeWithAudit(this.statementTarget, pending, der, issuedAt, events);
  }

  /**
   * The organization with its SAN URIs, its community and the community's active issuing CA, in one
   * query, or from the context cache (context-cache.ts: up to a second old, shared, treat as
   * read-only) unless `fresh`.
   */
  async findIssuanceContext(organizationId: string, opts: { fresh?: boolean } = {}): Promise<IssuanceContextRecord | null> {
    const read = () => findIssuanceContext(this.conn.pool, organizationId);
    if (!opts.fresh) return this.contexts.getOrLoad(organizationId, read);
    const found = await read();
    if (found) this.contexts.set(organizationId, found);
    return found;
  }

  /** Finds a certificate by id. */
  async findCertificate(id: string): Promise<CertificateRecord | null> {
    const r = await this.db.certificate.findUnique({ where: { id } });
    return r ? toCertificate(r) : null;
  }

  /** Finds a certificate by issuer and serial. */
  async findCertificateBySerial(issuerId: string, serial: Uint8Array): Promise<CertificateRecord | null> {
    const r = await this.db.certificate.findUnique({ where: { issuerId_serial: { issuerId, serial: Buffer.from(serial) } } });
    return r ? toCertificate(r) : null;
  }

  /** Locks a certificate row for the rest of the transaction and returns its current state. */
  async lockCertificate(id: string): Promise<CertificateRecord | null> {
    await this.db.$queryRawUnsafe('SELECT 1 AS locked FROM certificate WHERE id = $1::uuid FOR UPDATE', id);
    return this.findCertificate(id);
  }

  /**
   * Marks a certificate revoked (or on hold) and not yet on a published CRL, storing its CRL entry
   * DER (encoded by the authority from these same fields) for CRL generation to concatenate.
   */
  async markRevoked(id: string, r: { revokedAt: Date; reason: number; invalidityDate: Date | null; crlEntryDer: Uint8Array }): Promise<CertificateRecord> {
    const row = await this.db.certificate.update({
      where: { id },
      data: {
        status: r.reason === 6 ? 'on-hold' : 'revoked',
        revokedAt: r.revokedAt,
        revocationReason: r.reason,
        invalidityDate: r.invalidityDate,
        crlEntryDer: Buffer.from(r.crlEntryDer),
        revocationPublished: false,
      },
    });
    return toCertificate(row);
  }

  /** Releases a hold: the certificate is valid again and leaves the next CRL (RFC 5280 §5.3.1). */
  async releaseHold(id: string): Promise<CertificateRecord> {
    const row = await this.db.certificate.update({
      where: { id, status: 'on-hold' },
      data: { status: 'issued', revokedAt: null, revocationReason: null, invalidityDate: null, crlEntryDer: null, revocationPublished: false },
    });
    return toCertificate(row);
  }

  /** Lists certificates with a filter, newest first. */
  async listCertificates(f: CertificateFilter, skip = 0, take = 100, order?: ListOrder): Promise<Page<CertificateRecord>> {
    const where = {
      ...(f.organizationId ? { organizationId: f.organizationId } : {}),
      ...(f.issuerId ? { issuerId: f.issuerId } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.serialHex ? { serial: Buffer.from(f.serialHex, 'hex') } : {}),
      ...(f.san ? { sanUris: { has: f.san } } : {}),
      ...(f.communityIds ? { issuer: { communityId: { in: f.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.certificate.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.db.certificate.count({ where }),
    ]);
    return { items: rows.map(toCertificate), total };
  }

  // --- CRLs --------------------------------------------------------------------------------------

  /** The newest CRL of a CA. */
  async latestCrl(caId: string, withDer: boolean): Promise<CrlRecord | null> {
    const r = await this.db.crl.findFirst({
      where: { caId },
      orderBy: { crlNumber: 'desc' },
      select: { id: true, caId: true, crlNumber: true, thisUpdate: true, nextUpdate: true, entryCount: true, sha256: true, createdAt: true, der: withDer },
    });
    return r ? toCrl(r) : null;
  }

  /** The CRL history of a CA, newest first, without DER. */
  async listCrls(caId: string, skip = 0, take = 100): Promise<Page<CrlRecord>> {
    const [rows, total] = await Promise.all([
      this.db.crl.findMany({
        where: { caId },
        orderBy: { crlNumber: 'desc' },
        skip,
        take,
        select: { id: true, caId: true, crlNumber: true, thisUpdate: true, nextUpdate: true, entryCount: true, sha256: true, createdAt: true },
      }),
      this.db.crl.count({ where: { caId } }),
    ]);
    return { items: rows.map(toCrl), total };
  }

  /** Read models of the console (dashboard, CRL history). */
  get reports(): Reports {
    return new Reports(this.db);
  }

  /** Certificate requests (inside the current transaction, if any). */
  get requests(): RequestStore {
    return new RequestStore(this.db);
  }

  /** Organization onboarding and invitations (inside the current transaction, if any). */
  get onboarding(): OnboardingStore {
    return new OnboardingStore(this.db, this.contexts);
  }

  /** Jobs implied by a state change, written in its transaction (the transactional outbox). */
  get outbox(): OutboxWriter {
    return new OutboxWriter(this.db);
  }

  /** The outbox relay's reads and marks (short transactions of their own). */
  get outboxRelay(): OutboxRelayStore {
    return new OutboxRelayStore(this.conn.pool);
  }

  /** Bulk revocations: records in the current transaction, batches in their own. */
  get bulkRevocations(): BulkRevocationStore {
    return new BulkRevocationStore(this.db, this.conn.pool);
  }

  /** Expiry notices and organizations' webhooks (inside the current transaction, if any). */
  get notices(): NoticeStore {
    return new NoticeStore(this.db);
  }

  /** Signed checkpoints of the audit chain head (statements of their own, never inside a transaction). */
  get auditCheckpoints(): AuditCheckpointStore {
    return new AuditCheckpointStore(this.conn.pool);
  }

  /** Users and sign-in sessions (inside the current transaction, if any). */
  get identity(): IdentityStore {
    return new IdentityStore(this.db);
  }

  // --- API tokens ----------------------------------------------------------------------------------

  /** Stores a new operator API token by its hash. */
  async createApiToken(t: { id: string; name: string; tokenHash: string }): Promise<void> {
    await this.db.apiToken.create({ data: t });
  }

  /** Finds a live token by hash and records its use (lastUsedAt is written at most once a minute). */
  async useApiToken(tokenHash: string, now: Date): Promise<{ id: string; name: string } | null> {
    return useApiTokenThrottled(this.conn.pool, tokenHash, now);
  }
}
