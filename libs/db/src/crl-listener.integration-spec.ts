import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { CRL_PUBLISHED_CHANNEL } from './channels';
import { Database } from './database';
import { createMigratedDatabase, type FreshDatabase } from './fresh-database';

// Terminating connections needs a database of its own.
describe('CRL notifications survive a dropped connection', () => {
  let fresh: FreshDatabase;
  let admin: Client;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_listen`.slice(0, 63));
    admin = new Client({ connectionString: fresh.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await fresh.drop();
  });

  const until = async (what: string, ok: () => boolean, ms = 10_000) => {
    for (const t0 = Date.now(); !ok(); ) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('listens again on a new connection after the server drops it, says so, and delivers later notifications', async () => {
    const db = Database.open(fresh.url, 3);
    const seen: string[] = [];
    let reconnects = 0;
    const stop = await db.crls.onPublished((caId, n) => seen.push(`${caId}:${n}`), { onReconnect: () => reconnects++, retryMs: 50 });
    try {
      const ca = randomUUID();
      await admin.query(`NOTIFY ${CRL_PUBLISHED_CHANNEL}, '${ca}:1'`);
      await until('the first notification', () => seen.length === 1);
      // what a PostgreSQL restart does to every connection; without a handler its 'error' event would crash the process
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`);
      expect(killed.rowCount).toBe(1);
      await until('the listener to reconnect', () => reconnects === 1);
      await admin.query(`NOTIFY ${CRL_PUBLISHED_CHANNEL}, '${ca}:2'`);
      await until('the notification after the reconnect', () => seen.length === 2);
      expect(seen).toEqual([`${ca}:1`, `${ca}:2`]);
    } finally {
      await stop();
      await db.close();
    }
  });
});
