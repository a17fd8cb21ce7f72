import { Client } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { AUDIT_GENESIS, auditHash } from './audit-hash';
import { Database } from './database';
import { createMigratedDatabase, type FreshDatabase } from './fresh-database';
import type { AuditInput, AuditRecord } from './records';

// The sequencer needs a database of its own: the tests read the whole chain and count unlinked rows.
describe('audit rows written without a lock, linked by one sequencer (real PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let db: Database;
  let other: Database;
  let admin: Client;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_seq`.slice(0, 63));
    db = Database.open(fresh.url, 8);
    other = Database.open(fresh.url, 2);
    admin = new Client({ connectionString: fresh.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await other.close();
    await db.close();
    await fresh.drop();
  });

  const event = (subjectId: string): AuditInput => ({ at: new Date(), actor: 'test', action: 'test.sequencer', subjectType: 'scratch', subjectId, data: { subjectId, n: [1, 2] } });

  /** Every linked row in chain order, each checked against its predecessor; returns the subjects in chain order. */
  async function intactChain(): Promise<string[]> {
    const all: AuditRecord[] = [];
    for (let after = 0n; ;) {
      const page = await db.audit.readChain(after, 500);
      if (page.length === 0) break;
      all.push(...page);
      after = page[page.length - 1].chainSeq;
    }
    let prev = AUDIT_GENESIS;
    all.forEach((e, i) => {
      expect(e.chainSeq).toBe(BigInt(i + 1)); // contiguous: no fork, no gap
      expect(e.prevHash).toBe(prev);
      expect(auditHash(prev, e)).toBe(e.hash);
      prev = e.hash!;
    });
    return all.map((e) => e.subjectId);
  }

  it('links a row that commits late after rows inserted after it, and the chain stays intact', async () => {
    const late = new Client({ connectionString: fresh.url });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`WITH audit AS (INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data) VALUES (now(), 'test', 'test.late', 'scratch', 'late', '{}') RETURNING seq)
        INSERT INTO audit_unlinked (seq) SELECT seq FROM audit`);
      await db.audit.append(event('early'));
      expect((await db.audit.link()).linked).toBe(1); // the open transaction's row is not visible, so not linked
      await late.query('COMMIT');
      expect((await db.audit.link()).linked).toBe(1);
    } finally {
      await late.end();
    }
    const rows = await db.audit.read(0n, 10);
    expect(rows.map((r) => r.subjectId)).toEqual(['late', 'early']); // insertion order
    expect(await intactChain()).toEqual(['early', 'late']); // chain order: the order they were linked
  });

  it('links 400 rows written concurrently by many connections exactly once, with two sequencers racing', async () => {
    const keys = Array.from({ length: 400 }, (_, i) => `bulk-${i}`);
    let linking = true;
    const sequencers = [db, other].map(async (d) => {
      let linked = 0;
      while (linking) linked += (await d.audit.link(37)).linked;
      return linked;
    });
    await Promise.all(keys.map((k, i) => (i % 3 === 0 ? db.audit.appendMany([event(k), event(`${k}+`)]) : db.audit.append(event(k)))));
    linking = false;
    const byEach = await Promise.all(sequencers);
    while ((await db.audit.link()).linked > 0);
    const chain = await intactChain();
    const expected = keys.flatMap((k, i) => (i % 3 === 0 ? [k, `${k}+`] : [k]));
    expect(chain.filter((s) => s.startsWith('bulk-')).sort()).toEqual(expected.sort());
    expect(byEach[0] + byEach[1]).toBeLessThanOrEqual(expected.length);
    expect((await db.audit.unlinked(60_000)).count).toBe(0);
  });

  it('never waits: a round returns busy while another holds the sequencer lock, and writers go on meanwhile', async () => {
    const holder = new Client({ connectionString: fresh.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(727002)');
      await db.audit.append(event('while-locked'));
      const started = Date.now();
      expect(await db.audit.link()).toEqual({ linked: 0, head: null, busy: true });
      expect(Date.now() - started).toBeLessThan(2000);
      await holder.query('COMMIT');
      expect((await db.audit.link()).linked).toBe(1);
    } finally {
      await holder.end();
    }
  });

  it('counts rows left unlinked longer than the bound, by the database clock', async () => {
    await admin.query(`WITH audit AS (INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data, recorded_at)
      VALUES (now(), 'test', 'test.stale', 'scratch', 'stale', '{}', now() - interval '2 minutes') RETURNING seq)
      INSERT INTO audit_unlinked (seq) SELECT seq FROM audit`);
    await db.audit.append(event('fresh'));
    expect(await db.audit.unlinked(60_000)).toMatchObject({ count: 2, overdue: 1 });
    await db.audit.link();
    expect(await db.audit.unlinked(60_000)).toMatchObject({ count: 0, overdue: 0, oldestSeq: null });
    expect((await intactChain()).slice(-2)).toEqual(['stale', 'fresh']);
  });

  it('passes over queued rows whose event was deleted with the trigger bypassed, instead of stalling', async () => {
    const gone = await Promise.all(['gone-1', 'gone-2', 'gone-3'].map((k) => db.audit.append(event(k))));
    await db.audit.append(event('after-gone'));
    await admin.query('BEGIN');
    await admin.query("SET LOCAL session_replication_role = 'replica'");
    await admin.query('DELETE FROM audit_event WHERE seq = ANY($1::bigint[])', [gone.map((e) => e.seq.toString())]);
    await admin.query('COMMIT');
    // a round of at most 2 still reaches the one event left, past three queue entries with nothing behind them
    expect((await db.audit.link(2)).linked).toBe(1);
    expect((await intactChain()).slice(-1)).toEqual(['after-gone']);
    expect((await db.audit.unlinked(60_000)).count).toBe(0);
  });

  it('audit rows written inside a transaction commit or roll back with it', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.audit.append(event('rolled-back'));
      await tx.audit.appendMany([event('rolled-back-too')]);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    await db.transaction(async (tx) => {
      await tx.audit.appendMany([event('kept-1'), event('kept-2')]);
    });
    await db.audit.link();
    const chain = await intactChain();
    expect(chain).not.toContain('rolled-back');
    expect(chain.slice(-2)).toEqual(['kept-1', 'kept-2']);
  });
});
