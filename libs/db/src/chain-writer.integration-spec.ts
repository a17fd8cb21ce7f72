import { Client, Pool } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { AUDIT_GENESIS, auditHash } from './audit-hash';
import { ChainWriter, type ChainItem } from './chain-writer';
import { createMigratedDatabase, type FreshDatabase } from './fresh-database';
import type { AuditInput } from './records';

// Group commit needs a database of its own: the tests count its transactions and read its whole chain.
describe('ChainWriter group commit (real PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let pool: Pool;
  let admin: Client;
  let chain: ChainWriter;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_chain`.slice(0, 63));
    pool = new Pool({ connectionString: fresh.url, max: 2 });
    pool.on('error', () => undefined); // idle clients whose backend the last test terminates (as Database's pool does)
    admin = new Client({ connectionString: fresh.url });
    await admin.connect();
    await admin.query('CREATE TABLE scratch (k TEXT PRIMARY KEY)');
    chain = new ChainWriter(pool);
  });
  afterAll(async () => {
    await chain.idle();
    await pool.end();
    await admin.end();
    await fresh.drop();
  });

  const event = (subjectId: string): AuditInput => ({ at: new Date(), actor: 'test', action: 'test.chain', subjectType: 'scratch', subjectId, data: { subjectId } });
  const insert = (k: string, events = [event(k)]): ChainItem<string> => ({
    sql: `INSERT INTO scratch VALUES ('${k}') RETURNING k`, statements: 1, events,
    check: (rows) => String(rows[0].k),
  });
  async function chainRows(): Promise<{ subject_id: string; prev_hash: string; hash: string; at: Date; actor: string; action: string; subject_type: string; data: Record<string, unknown> }[]> {
    return (await admin.query('SELECT * FROM audit_event ORDER BY seq')).rows;
  }
  async function expectIntactChain(): Promise<void> {
    let prev = AUDIT_GENESIS;
    for (const r of await chainRows()) {
      expect(r.prev_hash).toBe(prev);
      expect(auditHash(prev, { at: r.at, actor: r.actor, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, data: r.data })).toBe(r.hash);
      prev = r.hash;
    }
  }

  it('commits 300 concurrent requests in a few transactions, the events of each request exactly once on an intact chain', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
    const results = await Promise.all(keys.map((k) => chain.run(insert(k))));
    expect(results).toEqual(keys);
    // xmin: the id of the transaction that wrote each row
    const { rows } = await admin.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM audit_event WHERE subject_id LIKE 'bulk-%'`);
    expect(rows[0].n).toBeGreaterThan(1);
    expect(rows[0].n).toBeLessThan(30); // one per request would be 300
    // groups in flight together may take the chain lock in either order: compare as sets
    expect((await chainRows()).map((r) => r.subject_id).sort()).toEqual(keys);
    await expectIntactChain();
  });

  it('escapes and links events of any text so the verifier recomputes every hash', async () => {
    const awkward = (k: string): AuditInput => ({
      at: new Date(Date.UTC(2026, 10, 22, 12, 0, 0, 123)), actor: "o'perator \\ \"quoted\"", action: 'test.unicode', subjectType: 'scratch', subjectId: k,
      data: { city: 'Zürich', clinic: '🏥 São Paulo', nested: { z: [1, 2.5, null, true], a: 'tab\tnew\nline' }, empty: {} },
    });
    // a group mixing items with statements and standalone appends (no statements)
    const standalone = (k: string): ChainItem<null> => ({ sql: '', statements: 0, events: [awkward(k), event(`${k}-2`)], check: () => null });
    await Promise.all([chain.run(insert('utf-1', [awkward('utf-1')])), chain.run(standalone('utf-2')), chain.run(insert('utf-3', [awkward('utf-3')]))]);
    await Promise.all([chain.run(standalone('utf-4')), chain.run(standalone('utf-5'))]);
    const utf = (await chainRows()).filter((r) => r.subject_id.startsWith('utf-'));
    expect(utf.map((r) => r.subject_id).sort()).toEqual(['utf-1', 'utf-2', 'utf-2-2', 'utf-3', 'utf-4', 'utf-4-2', 'utf-5', 'utf-5-2']);
    expect(utf.find((r) => r.subject_id === 'utf-2')?.data).toEqual(awkward('utf-2').data);
    await expectIntactChain();
  });

  it('leaves nothing of a request its check refuses, while the rest of its group commits', async () => {
    const refused: ChainItem<string> = {
      sql: `INSERT INTO scratch SELECT 'never' WHERE false RETURNING k`, statements: 1, events: [event('never')],
      check: (rows) => {
        if (rows.length === 0) throw new Error('refused by its check');
        return 'unexpected';
      },
    };
    const out = await Promise.allSettled([chain.run(insert('group-a')), chain.run(refused), chain.run(insert('group-c'))]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((out[1] as PromiseRejectedResult).reason.message).toBe('refused by its check');
    const subjects = (await chainRows()).map((r) => r.subject_id);
    expect(subjects.slice(-2)).toEqual(['group-a', 'group-c']);
    expect(subjects).not.toContain('never');
    await expectIntactChain();
  });

  it('reruns a group one request per transaction when one request fails in SQL, so only that one fails', async () => {
    await chain.run(insert('taken'));
    const duplicate: ChainItem<string> = { ...insert('taken', [event('duplicate')]), mapError: (err) => new Error(`mapped: ${(err as { code?: string }).code}`) };
    const out = await Promise.allSettled([chain.run(insert('rerun-a')), chain.run(duplicate), chain.run(insert('rerun-c'))]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((out[1] as PromiseRejectedResult).reason.message).toBe('mapped: 23505'); // unique_violation
    const subjects = (await chainRows()).map((r) => r.subject_id);
    expect(subjects.slice(-2)).toEqual(['rerun-a', 'rerun-c']);
    expect(subjects).not.toContain('duplicate');
    const { rows } = await admin.query(`SELECT k FROM scratch WHERE k LIKE 'rerun-%' ORDER BY k`);
    expect(rows.map((r) => r.k)).toEqual(['rerun-a', 'rerun-c']);
    await expectIntactChain();
  });

  it('prepares statements once per connection, also on connections the pool opens later', async () => {
    const prepared = { name: 'scratch_insert', sql: 'PREPARE scratch_insert(text) AS INSERT INTO scratch VALUES ($1) RETURNING k' };
    const exec = (k: string): ChainItem<string> => ({ ...insert(k), sql: `EXECUTE scratch_insert('${k}')`, prepared: [prepared] });
    const first = await Promise.all(['p-1', 'p-2', 'p-3'].map((k) => chain.run(exec(k))));
    // a failed group drops nothing that later groups need, and a connection the pool replaces starts over
    await expect(chain.run({ ...exec('p-1'), mapError: () => new Error('duplicate p-1') })).rejects.toThrow('duplicate p-1');
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    const later = await Promise.allSettled(['p-4', 'p-5'].map((k) => chain.run(exec(k))));
    const retried = await Promise.all(['p-6', 'p-7'].map((k) => chain.run(exec(k))));
    expect(first).toEqual(['p-1', 'p-2', 'p-3']);
    expect(retried).toEqual(['p-6', 'p-7']);
    const { rows } = await admin.query(`SELECT k FROM scratch WHERE k LIKE 'p-%' ORDER BY k`);
    const committedLater = later.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<string>).value);
    expect(rows.map((r) => r.k)).toEqual(['p-1', 'p-2', 'p-3', ...committedLater, 'p-6', 'p-7']);
    await expectIntactChain();
  });

  it('prepares again when a statement it prepared was deallocated behind its back', async () => {
    const single = new Pool({ connectionString: fresh.url, max: 1 });
    single.on('error', () => undefined);
    const writer = new ChainWriter(single);
    const prepared = { name: 'scratch_again', sql: 'PREPARE scratch_again(text) AS INSERT INTO scratch VALUES ($1) RETURNING k' };
    const exec = (k: string): ChainItem<string> => ({ ...insert(k), sql: `EXECUTE scratch_again('${k}')`, prepared: [prepared] });
    try {
      expect(await writer.run(exec('d-1'))).toBe('d-1');
      await single.query('DEALLOCATE ALL'); // the pool's only connection: the one the writer prepared on
      expect(await writer.run(exec('d-2'))).toBe('d-2');
      const { rows } = await admin.query(`SELECT k FROM scratch WHERE k LIKE 'd-%' ORDER BY k`);
      expect(rows.map((r) => r.k)).toEqual(['d-1', 'd-2']);
      await expectIntactChain();
    } finally {
      await writer.idle();
      await single.end();
    }
  });
});
