// CRLs: the serialized generation of a CA's next CRL (crl-generation.ts, on a connection of its own:
// its entries are streamed), the published history, and the lock and notifications that keep every
// instance's published files moving forward only.
import { CrlGeneration } from './crl-generation';
import { listenForCrls } from './crl-listener';
import { toCrl } from './mappers';
import { withPooledClient } from './pg-transaction';
import type { CrlRecord, Page } from './records';
import type { StoreScope } from './scope';

/** Advisory lock class of the publish-directory writers (the second key is the CA id's hash). */
const CRL_PUBLISH_LOCK = 727_003;

const WITHOUT_DER = { id: true, caId: true, crlNumber: true, thisUpdate: true, nextUpdate: true, entryCount: true, sha256: true, createdAt: true } as const;

/** CRLs (see the file comment). */
export class CrlStore {
  constructor(private readonly s: StoreScope) {}

  /** Runs the serialized generation of one CA's next CRL (see crl-generation.ts); a transaction of its own. */
  generate<T>(caId: string, fn: (g: CrlGeneration) => Promise<T>): Promise<T> {
    return CrlGeneration.run(this.s.pool, caId, fn);
  }

  /**
   * Runs `fn` while holding a session advisory lock on the CA's published files, passing the
   * newest committed CRL number. Writers in every process serialize here, so one that holds an
   * older CRL sees it is older and skips: a published file never goes backwards.
   */
  withPublishLock<T>(caId: string, fn: (newestCrlNumber: bigint) => Promise<T>): Promise<T> {
    return withPooledClient(this.s.pool, async (client, guard) => {
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
  onPublished(onCrl: (caId: string, crlNumber: bigint) => void, opts: { onReconnect?: () => void; retryMs?: number } = {}): Promise<() => Promise<void>> {
    return listenForCrls(this.s.pool, onCrl, opts);
  }

  /** The newest CRL of a CA. */
  async latest(caId: string, withDer: boolean): Promise<CrlRecord | null> {
    const r = await this.s.prisma.crl.findFirst({ where: { caId }, orderBy: { crlNumber: 'desc' }, select: { ...WITHOUT_DER, der: withDer } });
    return r ? toCrl(r) : null;
  }

  /** The CRL history of a CA, newest first, without DER. */
  async list(caId: string, skip = 0, take = 100): Promise<Page<CrlRecord>> {
    const [rows, total] = await Promise.all([
      this.s.prisma.crl.findMany({ where: { caId }, orderBy: { crlNumber: 'desc' }, skip, take, select: WITHOUT_DER }),
      this.s.prisma.crl.count({ where: { caId } }),
    ]);
    return { items: rows.map(toCrl), total };
  }
}
