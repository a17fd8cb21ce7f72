import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CrlRecord, Database } from '@anchorage/db';
import { toPem } from '@anchorage/pki';
import { systemClock, type Clock } from './clock';

/** One object of the public repository, ready to serve. */
export interface PublishedObject {
  body: Buffer;
  contentType: string;
  /** Strong entity tag (RFC 9110 §8.8.3.1): a digest of the bytes, so equal tags mean equal bytes. */
  etag: string;
  /**
   * When this repository took these bytes, to the millisecond; strictly later than the time of the
   * bytes they replaced, and never before they became current (they were committed before this
   * process read them), so every date sent with the replaced bytes is earlier.
   */
  modified: Date;
  /** When relying parties should fetch again (a CRL's nextUpdate); null when it never changes. */
  expires: Date | null;
  /** Strictly increasing version (CRL Number) for objects that have one. */
  version?: bigint;
  /** Longest caches may keep it (seconds), for objects that change without an expiry (the community directory). */
  maxAge?: number;
}

/**
 * A change a use case of this process committed to what a community publishes. Changes the
 * repository itself sees (a CA or CRL taken into memory) carry none: every instance sees those
 * through the CRL notification already.
 */
export interface CommunityChange {
  /** A server certificate issued to this organization for these SAN URIs (its endpoints); absent for a membership change. */
  endpoints?: { organizationId: string; uris: string[] };
  /** A certification recorded or revoked (the status endpoint changes; the directory does not). */
  certifications?: true;
}

const CRL_TYPE = 'application/pkix-crl';
const CERT_TYPE = 'application/pkix-cert';
const PEM_TYPE = 'application/x-pem-file';
/** A compact JWS (RFC 7515 §9.2.1): the audit checkpoints. */
const JOSE_TYPE = 'application/jose';

/** A Buffer sharing the memory of `bytes` (Buffer.from(arrayBuffer, offset, length) copies nothing). */
function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What writeToDirectory did. */
export interface DirectoryPublication {
  /** Paths written (relative to the publish directory); empty when no directory is configured. */
  written: string[];
  /** CRL Number now in crl/<caId>.crl, if any. */
  crlNumber: bigint | null;
}

/**
 * What relying servers fetch anonymously: CRLs, CA certificates and trust bundles, held in
 * memory (served without touching the database), and written atomically to a publish directory
 * with the same paths as the URLs, so a static server or CDN can serve the same files. Writing the
 * directory is the worker's publication job (writeToDirectory, queued with every new CRL), so a
 * full or unwritable disk never blocks CRL generation or a revocation; a failed write is retried
 * and listed with the failed jobs.
 */
export class PublicRepository {
  private readonly objects = new Map<string, PublishedObject>();
  /** The community of each CA held, so a new CRL can name the community it changes. */
  private readonly caCommunity = new Map<string, string>();
  private readonly listeners = new Set<(communityId: string, change?: CommunityChange) => void>();

  constructor(
    private readonly db: Database,
    private readonly publishDir: string | null,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The CRL of a CA. */
  crl(caId: string): PublishedObject | undefined {
    return this.objects.get(`crl/${caId}.crl`);
  }

  /** The certificate of a CA. */
  caCertificate(caId: string): PublishedObject | undefined {
    return this.objects.get(`ca/${caId}.cer`);
  }

  /** The PEM trust bundle of a community. */
  trustBundle(communityId: string): PublishedObject | undefined {
    return this.objects.get(`communities/${communityId}/trust-bundle.pem`);
  }

  /** The newest signed audit checkpoint (compact JWS, audit-checkpoint.ts). */
  auditCheckpoint(): PublishedObject | undefined {
    return this.objects.get('audit/checkpoint.jws');
  }

  /** The audit public key (PEM) the checkpoints verify with. */
  auditKey(): PublishedObject | undefined {
    return this.objects.get('audit/key.pem');
  }

  /**
   * Calls `listener` whenever something a community publishes may have changed in this process: a
   * CA or CRL taken into memory (ours or another instance's; no `change`), or a use case's
   * `communityChanged` (with its `change`). Returns the function that removes it.
   */
  onCommunityChanged(listener: (communityId: string, change?: CommunityChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the listeners that a use case committed a change to what `communityId` publishes (members,
   * server certificates); a server certificate for endpoints a listener already lists may be skipped
   * (bulk issuance would otherwise rebuild the directory nonstop).
   */
  communityChanged(communityId: string, change: CommunityChange = {}): void {
    for (const l of this.listeners) l(communityId, change);
  }

  /** A CA or CRL taken into memory may change what `communityId` publishes. */
  private tellListeners(communityId: string): void {
    for (const l of this.listeners) l(communityId);
  }

  /** Loads every CA certificate, latest CRL and trust bundle from the database. */
  async loadAll(): Promise<void> {
    for (const ca of await this.db.cas.withCertificate()) await this.refreshCa(ca.id);
  }

  /** Reloads one CA's certificate, latest CRL and its community's trust bundle into memory. */
  async refreshCa(caId: string): Promise<void> {
    const ca = await this.db.cas.find(caId);
    if (!ca?.certificateDer) return;
    this.caCommunity.set(caId, ca.communityId);
    this.put(`ca/${caId}.cer`, Buffer.from(ca.certificateDer), CERT_TYPE, null);
    const crl = await this.db.crls.latest(caId, true);
    if (crl) this.acceptCrl(caId, crl);
    this.put(`communities/${ca.communityId}/trust-bundle.pem`, await this.trustBundleOf(ca.communityId), PEM_TYPE, null);
    this.tellListeners(ca.communityId);
  }

  private async trustBundleOf(communityId: string): Promise<Buffer> {
    const cas = (await this.db.cas.ofCommunity(communityId)).filter((c) => c.certificateDer && c.status === 'active');
    // anchors first, then intermediates (UDAP profile: trust bundle)
    const ordered = [...cas.filter((c) => c.role === 'root'), ...cas.filter((c) => c.role !== 'root')];
    return Buffer.from(ordered.map((c) => toPem(c.certificateDer!, 'CERTIFICATE')).join(''));
  }

  /**
   * Writes a CA's certificate, its community's trust bundle and its newest committed CRL to the
   * publish directory, from the database (the publication job; idempotent). The CRL file is written
   * under a database lock shared by every process, and only when the CRL read is still the newest
   * committed one, so a late writer never puts an older CRL back.
   */
  async writeToDirectory(caId: string): Promise<DirectoryPublication> {
    if (!this.publishDir) return { written: [], crlNumber: null };
    const ca = await this.db.cas.find(caId);
    if (!ca?.certificateDer) return { written: [], crlNumber: null };
    const written: string[] = [];
    await this.writeFile(`ca/${caId}.cer`, Buffer.from(ca.certificateDer));
    written.push(`ca/${caId}.cer`);
    await this.writeFile(`communities/${ca.communityId}/trust-bundle.pem`, await this.trustBundleOf(ca.communityId));
    written.push(`communities/${ca.communityId}/trust-bundle.pem`);
    const crlNumber = await this.db.crls.withPublishLock(caId, async (newest) => {
      const crl = await this.db.crls.latest(caId, true);
      if (!crl?.der || crl.crlNumber < newest) return null;
      await this.writeFile(`crl/${caId}.crl`, bufferView(crl.der));
      written.push(`crl/${caId}.crl`);
      return crl.crlNumber;
    });
    return { written, crlNumber };
  }

  /** Takes a CRL into memory if it is newer than the one held; true when it was. */
  acceptCrl(caId: string, crl: CrlRecord): boolean {
    if (!crl.der) throw new Error('CRL without DER cannot be published');
    const key = `crl/${caId}.crl`;
    const held = this.objects.get(key);
    if (held?.version !== undefined && held.version >= crl.crlNumber) return false;
    // a view over the CRL's own bytes, not a copy: a 1M-entry CRL is ~47 MB (never mutated after signing)
    this.put(key, bufferView(crl.der), CRL_TYPE, crl.nextUpdate, crl.crlNumber);
    // a new CRL follows a revocation, hold or release: the community's directory may change
    const communityId = this.caCommunity.get(caId);
    if (communityId) this.tellListeners(communityId);
    return true;
  }

  /** Takes the audit public key (PEM) into memory. */
  acceptAuditKey(pem: string): void {
    this.put('audit/key.pem', Buffer.from(pem), PEM_TYPE, null);
  }

  /**
   * Takes a checkpoint whose signature the caller verified into memory; a checkpoint of an earlier
   * event than the one held is ignored. True when it was taken.
   */
  acceptAuditCheckpoint(seq: bigint, jws: string, expires: Date): boolean {
    const held = this.objects.get('audit/checkpoint.jws');
    if (held?.version !== undefined && held.version >= seq) return false;
    this.put('audit/checkpoint.jws', Buffer.from(jws), JOSE_TYPE, expires, seq);
    return true;
  }

  /** Writes `body` to `path` in the publish directory, atomically; false when there is no publish directory. */
  async writeToDirectoryPath(path: string, body: Buffer): Promise<boolean> {
    if (!this.publishDir) return false;
    await this.writeFile(path, body);
    return true;
  }

  /** The file at `path` in the publish directory; null when it is absent or there is no publish directory. */
  async readFromDirectory(path: string): Promise<Buffer | null> {
    if (!this.publishDir) return null;
    try {
      return await readFile(join(this.publishDir, path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /**
   * Holds `body` under `key`. The same bytes keep the object and its modification time; other bytes
   * get a new time, at least 1 ms after the replaced one's, so a clock that stands still (or steps
   * back) never gives two versions one time. The time is this process's, not a date from the data:
   * a CRL's thisUpdate is truncated to the second and the trust bundle has no date of its own when
   * a CA leaves it; RFC 9110 §8.8.2 only asks for the time the origin believes it changed.
   */
  private put(key: string, body: Buffer, contentType: string, expires: Date | null, version?: bigint): void {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    const held = this.objects.get(key);
    if (held?.etag === etag) return;
    const now = this.clock.now().getTime();
    const modified = new Date(held ? Math.max(now, held.modified.getTime() + 1) : now);
    this.objects.set(key, { body, contentType, etag, modified, expires, version });
  }

  /** Atomic write: a reader of the publish directory sees the old file or the new one, never half. */
  private async writeFile(path: string, body: Buffer): Promise<void> {
    if (!this.publishDir) return;
    const target = join(this.publishDir, path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, target);
  }
}
