// The platform's storage: one store per aggregate, all on one StoreScope (scope.ts), and the one way
// to open a transaction. `db.transaction(async (tx) => { await tx.certificates.markRevoked(...);
// await tx.audit.append(...); })`: every store of `tx` writes inside that transaction.
import type { Pool } from 'pg';
import { ApiTokenStore } from './api-token-store';
import { AuditCheckpointStore } from './audit-checkpoint-store';
import { AuditLog } from './audit-store';
import { BulkRevocationStore } from './bulk-revocation-store';
import { CaStore } from './ca-store';
import { CertificateStore } from './certificate-store';
import { CertificationStore } from './certification-store';
import { CommunityStore } from './community-store';
import { ConformanceStore } from './conformance-store';
import { connect, type Connection } from './connection';
import { ContextCache } from './context-cache';
import { CrlStore } from './crl-store';
import { IssuanceWrites } from './issuance-writes';
import { pgRunner } from './pg-transaction';
import type { GroupCommitLimits, GroupCommitStats } from './group-commit';
import { IdentityStore } from './identity-store';
import { NoticeStore } from './notice-store';
import { OnboardingStore } from './onboarding-store';
import { OrganizationStore } from './organization-store';
import { OutboxRelayStore, OutboxWriter } from './outbox-store';
import { Reports } from './reports';
import { RequestStore } from './request-store';
import { RevocationSubscriptionStore } from './revocation-subscription-store';
import { StoreScope } from './scope';
import { StateNoticeStore } from './state-notice-store';
import { TestKitStore } from './test-kit-store';

/** What a store is made with: its scope, and the issuance path's grouped writes (none inside a transaction). */
type Maker<T> = (s: StoreScope, writes: IssuanceWrites | null) => T;

/** The stores of one scope, made when first used. */
type Stores = {
  communities: CommunityStore; cas: CaStore; organizations: OrganizationStore; onboarding: OnboardingStore; certificates: CertificateStore;
  crls: CrlStore; requests: RequestStore; bulkRevocations: BulkRevocationStore; notices: NoticeStore; identity: IdentityStore;
  apiTokens: ApiTokenStore; audit: AuditLog; outbox: OutboxWriter; outboxRelay: OutboxRelayStore; reports: Reports;
  certifications: CertificationStore;
  revocationSubscriptions: RevocationSubscriptionStore;
  conformance: ConformanceStore;
  stateNotices: StateNoticeStore;
  testKits: TestKitStore;
};

const MAKERS: { [K in keyof Stores]: Maker<Stores[K]> } = {
  communities: (s) => new CommunityStore(s),
  cas: (s) => new CaStore(s),
  organizations: (s) => new OrganizationStore(s),
  onboarding: (s) => new OnboardingStore(s),
  certificates: (s, writes) => new CertificateStore(s, writes),
  crls: (s) => new CrlStore(s),
  requests: (s) => new RequestStore(s),
  bulkRevocations: (s) => new BulkRevocationStore(s),
  notices: (s) => new NoticeStore(s),
  identity: (s) => new IdentityStore(s),
  apiTokens: (s) => new ApiTokenStore(s),
  audit: (s) => new AuditLog(s, new AuditCheckpointStore(s)),
  outbox: (s) => new OutboxWriter(s),
  outboxRelay: (s) => new OutboxRelayStore(s),
  reports: (s) => new Reports(s),
  certifications: (s) => new CertificationStore(s),
  revocationSubscriptions: (s) => new RevocationSubscriptionStore(s),
  conformance: (s) => new ConformanceStore(s),
  stateNotices: (s) => new StateNoticeStore(s),
  testKits: (s) => new TestKitStore(s),
};

/** Storage of the platform (see the file comment). */
export class Database {
  private readonly made: Partial<Stores> = {};

  private constructor(private readonly conn: Connection, private readonly scope: StoreScope, private readonly writes: IssuanceWrites | null) {}

  /**
   * Opens the database at `url`; `contextCacheTtlMs` sets the issuance-context cache lifetime (0: off),
   * `groupCommit` the limits of the issuance path's grouped writes (group-commit.ts; false: each alone).
   */
  static open(url: string, poolSize = 10, opts: { contextCacheTtlMs?: number; groupCommit?: GroupCommitLimits | false } = {}): Database {
    const conn = connect(url, poolSize);
    const writes = opts.groupCommit === false ? null : new IssuanceWrites(pgRunner(conn.pool), opts.groupCommit);
    return new Database(conn, StoreScope.root(conn, new ContextCache(opts.contextCacheTtlMs)), writes);
  }

  /** The pg pool, for tests that read tables directly. */
  get pool(): Pool {
    return this.conn.pool;
  }

  /** How the issuance path's writes were grouped so far (group-commit.ts), or null when they are not. */
  get groupCommitStats(): { intents: GroupCommitStats; completions: GroupCommitStats } | null {
    const w = this.writes;
    return w ? { intents: { ...w.intents.stats }, completions: { ...w.completions.stats } } : null;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.conn.prisma.$disconnect();
    await this.conn.pool.end();
  }

  /** Runs `fn` in one database transaction; everything it writes through `tx` commits or nothing does. Inside one already, joins it. */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    if (this.scope.inTransaction) return fn(this);
    return this.scope.transaction((s) => fn(new Database(this.conn, s, null)));
  }

  private store<K extends keyof Stores>(k: K): Stores[K] {
    return (this.made[k] ??= MAKERS[k](this.scope, this.writes));
  }

  /** Trust communities. */
  get communities(): CommunityStore { return this.store('communities'); }
  /** Certificate authorities. */
  get cas(): CaStore { return this.store('cas'); }
  /** Member organizations and their SAN bindings. */
  get organizations(): OrganizationStore { return this.store('organizations'); }
  /** Organization onboarding and invitations. */
  get onboarding(): OnboardingStore { return this.store('onboarding'); }
  /** Issued certificates: the issuance path, revocation state, lists. */
  get certificates(): CertificateStore { return this.store('certificates'); }
  /** CRL generation (a transaction of its own), history and publication. */
  get crls(): CrlStore { return this.store('crls'); }
  /** Certificate requests. */
  get requests(): RequestStore { return this.store('requests'); }
  /** Bulk revocations: records in the current transaction, batches in their own. */
  get bulkRevocations(): BulkRevocationStore { return this.store('bulkRevocations'); }
  /** Expiry notices and organizations' webhooks. */
  get notices(): NoticeStore { return this.store('notices'); }
  /** Users and sign-in sessions. */
  get identity(): IdentityStore { return this.store('identity'); }
  /** Operator API tokens. */
  get apiTokens(): ApiTokenStore { return this.store('apiTokens'); }
  /** The audit log and its signed checkpoints. */
  get audit(): AuditLog { return this.store('audit'); }
  /** Jobs implied by a state change, written in its transaction (the transactional outbox). */
  get outbox(): OutboxWriter { return this.store('outbox'); }
  /** The outbox relay's reads and marks (short transactions of their own). */
  get outboxRelay(): OutboxRelayStore { return this.store('outboxRelay'); }
  /** Read models of the console (dashboard, CRL history). */
  get reports(): Reports { return this.store('reports'); }
  /** Certification templates and the certifications of member apps. */
  get certifications(): CertificationStore { return this.store('certifications'); }
  /** Relying parties' revocation subscriptions, the notices of CRLs and their deliveries. */
  get revocationSubscriptions(): RevocationSubscriptionStore { return this.store('revocationSubscriptions'); }
  /** Endpoint conformance: monitored member servers, their check history and alerts. */
  get conformance(): ConformanceStore { return this.store('conformance'); }
  /** Notices of the state changes people wait for (requests, organizations). */
  get stateNotices(): StateNoticeStore { return this.store('stateNotices'); }
  /** Communities' test kits (docs/test-certificates.md), apart from their CAs. */
  get testKits(): TestKitStore { return this.store('testKits'); }
}
