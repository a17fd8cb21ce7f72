// A throwaway PostgreSQL database per benchmark, and bulk loading of revoked certificates.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { Client } from 'pg';
import Cursor from 'pg-cursor';
import { createDatabase, dropDatabase, migrateDatabase } from '@anchorage/db';
import { ADMIN_URL } from './env';

/** A migrated database created for this benchmark run; `drop()` removes it. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const live = new Set<BenchDatabase>();
let signalsHooked = false;

/** On Ctrl-C or SIGTERM, drops the databases still open before exiting (the normal path drops them in `finally`). */
function dropOnSignal(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, dropping ${live.size} database(s)`);
      void Promise.allSettled([...live].map((d) => d.drop())).then(() => process.exit(130));
    });
  }
}

/** Creates and migrates `anchorage_bench_<tag>_<time>_<random>` on the loopback server. */
export async function createBenchDatabase(tag: string): Promise<BenchDatabase> {
  dropOnSignal();
  const name = `anchorage_bench_${tag}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = await createDatabase(ADMIN_URL, name);
  let dropped = false;
  const db: BenchDatabase = {
    name,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      live.delete(db);
      await dropDatabase(ADMIN_URL, name);
    },
  };
  live.add(db);
  try {
    await migrateDatabase(url);
  } catch (err) {
    await db.drop();
    throw err;
  }
  return db;
}

/** Runs `fn` with a connected pg client and closes it. */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Revocation reasons used for bulk rows: all non-zero, so both encoders write a reasonCode extension. */
export const BULK_REASONS = [1, 3, 4, 5] as const;

/**
 * Inserts `count` revoked certificates of `caId` in statements of `batch` rows: random 16-byte
 * serials shaped like newSerial (top bit clear, next bit set), revoked within the last day at whole
 * seconds, not expiring for a year, dummy TBS/DER bytes (the CRL never reads them), already published,
 * with the CRL entry DER that markRevoked would store (libs/pki encodeCrlEntry), built here in SQL for
 * speed: SEQUENCE { INTEGER serial (16 octets, top bit clear), UTCTime, SEQUENCE { reasonCode } }.
 * Then ANALYZE, as autovacuum would, so the planner sees the CRL index.
 */
export async function insertRevoked(url: string, caId: string, organizationId: string, count: number, batch = 100_000): Promise<void> {
  await withClient(url, async (c) => {
    for (let done = 0; done < count; done += batch) {
      const n = Math.min(batch, count - done);
      await c.query(
        `INSERT INTO certificate (id, issuer_id, organization_id, serial, profile, status, subject, san_uris, key_type,
                                  not_before, not_after, tbs_der, der, requested_by, revoked_at, revocation_reason, revocation_published,
                                  crl_entry_der)
         SELECT gen_random_uuid(), $1::uuid, $2::uuid, serial, 'udap-client', 'revoked',
                'CN=bench', '{}', 'RSA-2048', t - interval '30 days', t + interval '365 days', '\\x3000'::bytea, '\\x3000'::bytea,
                'bench', revoked_at, reason, true,
                '\\x302f0210'::bytea || serial || '\\x170d'::bytea
                  || convert_to(to_char(revoked_at AT TIME ZONE 'UTC', 'YYMMDDHH24MISS') || 'Z', 'UTF8')
                  || '\\x300c300a0603551d1504030a01'::bytea || set_byte('\\x00'::bytea, 0, reason)
           FROM (SELECT t, set_byte(h, 0, (get_byte(h, 0) & 127) | 64) AS serial, t - (i % 86400) * interval '1 second' AS revoked_at,
                        ($3::int[])[1 + i % 4] AS reason
                   FROM (SELECT i, decode(md5(random()::text || i::text || $4::text), 'hex') AS h, date_trunc('second', now()) AS t
                           FROM generate_series(1, $5::int) AS i) g) s`,
        [caId, organizationId, BULK_REASONS, `${caId}:${done}`, n],
      );
    }
    // what autovacuum does to a live table: sets the visibility map, so CRL generation's index-only
    // scan skips the heap for these long-standing revocations, as it would in production
    await c.query('VACUUM (ANALYZE) certificate');
  });
}

/** Number of revoked (or held) certificates of a CA. */
export async function countRevoked(url: string, caId: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM certificate WHERE issuer_id = $1 AND status IN ('revoked', 'on-hold')", [caId]);
    return Number(r.rows[0].n);
  });
}

const OPENSSL_REASONS: Record<number, string> = {
  1: 'keyCompromise', 2: 'CACompromise', 3: 'affiliationChanged', 4: 'superseded', 5: 'cessationOfOperation', 6: 'certificateHold',
};

/**
 * Writes the CA's revoked certificates as an OpenSSL `ca` database (index.txt): one line per entry,
 * `R <expiry> <revocation>[,reason] <SERIAL> unknown /CN=x`, times as UTCTime. Streams with a cursor.
 */
export async function writeOpensslIndex(url: string, caId: string, path: string): Promise<number> {
  return withClient(url, async (c) => {
    const out = createWriteStream(path);
    const cursor = c.query(
      new Cursor(
        `SELECT upper(encode(serial, 'hex')) AS s, to_char(not_after AT TIME ZONE 'UTC', 'YYMMDDHH24MISS') AS e,
                to_char(revoked_at AT TIME ZONE 'UTC', 'YYMMDDHH24MISS') AS r, revocation_reason AS c
           FROM certificate WHERE issuer_id = $1 AND status IN ('revoked', 'on-hold') ORDER BY serial`,
        [caId],
      ),
    );
    let n = 0;
    for (;;) {
      const rows: { s: string; e: string; r: string; c: number }[] = await cursor.read(50_000);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) {
        const reason = OPENSSL_REASONS[row.c];
        chunk += `R\t${row.e}Z\t${row.r}Z${reason ? `,${reason}` : ''}\t${row.s}\tunknown\t/CN=x\n`;
      }
      n += rows.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await cursor.close();
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return n;
  });
}

/** PostgreSQL's Unix socket directory on Debian. */
const PG_SOCKET_DIR = '/var/run/postgresql';

/**
 * `url` rewritten to reach a server on this machine through its Unix socket, as a single-host
 * deployment connects (no loopback TCP stack on every query); unchanged when the server is not
 * local, the socket is missing, or BENCH_PG_TCP=1. Returns the transport used, for the report.
 */
export function localSocketUrl(url: string): { url: string; transport: string } {
  const u = new URL(url);
  const port = u.port || '5432';
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
  if (process.env.BENCH_PG_TCP === '1' || !local || !existsSync(`${PG_SOCKET_DIR}/.s.PGSQL.${port}`)) return { url, transport: `TCP ${u.host}` };
  return { url: `postgresql://${u.username}@${u.pathname}?host=${PG_SOCKET_DIR}&port=${port}`, transport: `Unix socket ${PG_SOCKET_DIR}` };
}
