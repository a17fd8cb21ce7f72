import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CrlRecord, Database } from '@anchorage/db';
import { toPem } from '@anchorage/pki';

/** One object of the public repository, ready to serve. */
export interface PublishedObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** When relying parties should fetch again (a CRL's nextUpdate); null when it never changes. */
  expires: Date | null;
  /** Strictly increasing version (CRL Number) for objects that have one. */
  version?: bigint;
}

const CRL_TYPE = 'application/pkix-crl';
const CERT_TYPE = 'application/pkix-cert';
const PEM_TYPE = 'application/x-pem-file';

/** A Buffer sharing the memory of `bytes` (Buffer.from(arrayBuffer, offset, length) copies nothing). */
function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function objectOf(body: Buffer, contentType: string, lastModified: Date, expires: Date | null, version?: bigint): PublishedObject {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { body, contentType, etag, lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000), expires, version };
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

  constructor(
    private readonly db: Database,
    private readonly publishDir: string | null,
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

  /** Loads every CA certificate, latest CRL and trust bundle from the database. */
  async loadAll(): Promise<void> {
    for (const ca of await this.db.listCasWithCertificate()) await this.refreshCa(ca.id);
  }

  /** Reloads one CA's certificate, latest CRL and its community's trust bundle into memory. */
  async refreshCa(caId: string): Promise<void> {
    const ca = await this.db.findCa(caId);
    if (!ca?.certificateDer) return;
    this.objects.set(`ca/${caId}.cer`, objectOf(Buffer.from(ca.certificateDer), CERT_TYPE, ca.createdAt, null));
    const crl = await this.db.latestCrl(caId, true);
    if (crl) this.acceptCrl(caId, crl);
    this.objects.set(`communities/${ca.communityId}/trust-bundle.pem`, await this.trustBundleOf(ca.communityId));
  }

  private async trustBundleOf(communityId: string): Promise<PublishedObject> {
    const cas = (await this.db.listCasOfCommunity(communityId)).filter((c) => c.certificateDer && c.status === 'active');
    // anchors first, then intermediates (UDAP profile: trust bundle)
    const ordered = [...cas.filter((c) => c.role === 'root'), ...cas.filter((c) => c.role !== 'root')];
    const pem = ordered.map((c) => toPem(c.certificateDer!, 'CERTIFICATE')).join('');
    const newest = ordered.reduce((t, c) => (c.createdAt > t ? c.createdAt : t), new Date(0));
    return objectOf(Buffer.from(pem), PEM_TYPE, newest, null);
  }

  /**
   * Writes a CA's certificate, its community's trust bundle and its newest committed CRL to the
   * publish directory, from the database (the publication job; idempotent). The CRL file is written
   * under a database lock shared by every process, and only when the CRL read is still the newest
   * committed one, so a late writer never puts an older CRL back.
   */
  async writeToDirectory(caId: string): Promise<DirectoryPublication> {
    if (!this.publishDir) return { written: [], crlNumber: null };
    const ca = await this.db.findCa(caId);
    if (!ca?.certificateDer) return { written: [], crlNumber: null };
    const written: string[] = [];
    await this.writeFile(`ca/${caId}.cer`, Buffer.from(ca.certificateDer));
    written.push(`ca/${caId}.cer`);
    const bundle = await this.trustBundleOf(ca.communityId);
    await this.writeFile(`communities/${ca.communityId}/trust-bundle.pem`, bundle.body);
    written.push(`communities/${ca.communityId}/trust-bundle.pem`);
    const crlNumber = await this.db.withCrlPublishLock(caId, async (newest) => {
      const crl = await this.db.latestCrl(caId, true);
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
    this.objects.set(key, objectOf(bufferView(crl.der), CRL_TYPE, crl.thisUpdate, crl.nextUpdate, crl.crlNumber));
    return true;
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
