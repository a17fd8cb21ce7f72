import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { API_TOKEN_CHANGED_CHANNEL, COMMUNITY_CHANGED_CHANNEL, CRL_PUBLISHED_CHANNEL } from './channels';
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

  it('listens on every channel over one connection, keeps the others when one stops, and lets it go when the last stops', async () => {
    const db = Database.open(fresh.url, 3);
    const seen: string[] = [];
    const listeners = async () => Number((await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%LISTEN %' AND pid <> pg_backend_pid()`)).rows[0].n);
    try {
      const stops = await Promise.all([
        db.crls.onPublished((caId, n) => seen.push(`crl ${caId}:${n}`)),
        db.communities.onChanged((id) => seen.push(`community ${id}`)),
        db.apiTokens.onChanged(() => seen.push('token')),
      ]);
      expect(await listeners()).toBe(1);
      const id = randomUUID();
      await admin.query(`NOTIFY ${CRL_PUBLISHED_CHANNEL}, '${id}:7'`);
      await admin.query(`SELECT pg_notify('${COMMUNITY_CHANGED_CHANNEL}', '${id}')`);
      await admin.query(`SELECT pg_notify('${API_TOKEN_CHANGED_CHANNEL}', '')`);
      await until('three notifications', () => seen.length === 3);
      expect(seen).toEqual([`crl ${id}:7`, `community ${id}`, 'token']);
      await stops[1]();
      await admin.query(`SELECT pg_notify('${COMMUNITY_CHANGED_CHANNEL}', '${id}')`);
      await admin.query(`NOTIFY ${CRL_PUBLISHED_CHANNEL}, '${id}:8'`);
      await until('the CRL notification', () => seen.length === 4);
      expect(seen[3]).toBe(`crl ${id}:8`); // the community one stopped listening
      await stops[0]();
      await stops[2]();
      for (const t0 = Date.now(); (await listeners()) > 0 && Date.now() - t0 < 5000;) await new Promise((r) => setTimeout(r, 50));
      expect(await listeners()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
