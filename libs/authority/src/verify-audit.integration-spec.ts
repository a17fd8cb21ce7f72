import { Client } from 'pg';
import { createMigratedDatabase, Database, type FreshDatabase } from '@anchorage/db';
import { Signer } from '@anchorage/signer';
import { testDatabaseUrl } from '@anchorage/testing';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';

// Tampering needs a database of its own: the shared test database must keep an intact chain.
describe('audit chain verification detects tampering', () => {
  let db: Database;
  let fresh: FreshDatabase;
  let url: string;
  const signer = new Signer([]); // no checkpoints here: audit-checkpoint.integration-spec.ts has those

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_audit`.slice(0, 63));
    url = fresh.url;
    db = Database.open(url, 2);
    for (let i = 0; i < 5; i++) {
      await db.audit.append({ at: new Date(Date.UTC(2026, 10, 22, 12, 0, i)), actor: 'op', action: 'test.event', subjectType: 't', subjectId: String(i), data: { i, nested: { b: 1, a: [true, null] } } });
    }
  });
  afterAll(async () => {
    await db.close();
    await fresh.drop();
  });

  async function tamper(sql: string): Promise<void> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      // an attacker with table-owner rights can bypass the append-only trigger; the chain still tells
      await c.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await c.query(sql);
      await c.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    } finally {
      await c.end();
    }
  }

  it('checks only linked events, and reports events left unlinked past the sequencer\'s bound', async () => {
    const waiting = await verifyAuditChain({ db, signer });
    expect(waiting).toMatchObject({ ok: true, checked: 0, unlinked: { count: 5, overdue: 0 } });
    await tamper(`UPDATE audit_event SET recorded_at = recorded_at - interval '2 minutes' WHERE subject_id = '0'`);
    const overdue = await verifyAuditChain({ db, signer });
    expect(overdue).toMatchObject({ ok: false, unlinked: { count: 5, overdue: 1 }, problem: { code: 'not-linked' } });
    expect(overdue.problem!.message).toMatch(/1 committed event\(s\) not linked .* for over 60 s/);
    expect(await linkAuditChain({ db })).toBe(5);
  });

  it('reports an event taken out of the sequencer\'s queue, which would never be linked', async () => {
    const e = await db.audit.append({ at: new Date(), actor: 'op', action: 'test.queued', subjectType: 'scratch', subjectId: 'queued', data: {} });
    expect(await verifyAuditChain({ db, signer })).toMatchObject({ ok: true, unlinked: { count: 1, overdue: 0 } });
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('DELETE FROM audit_unlinked WHERE seq = $1', [e.seq.toString()]);
      const lost = await verifyAuditChain({ db, signer });
      expect(lost).toMatchObject({ ok: false, unlinked: { count: 0 }, problem: { code: 'not-linked', seq: e.seq.toString() } });
      expect(lost.problem!.message).toMatch(/1 committed event\(s\) neither linked .* nor waiting/);
      expect(await linkAuditChain({ db })).toBe(0);
      // put back in the queue, it is linked and the log verifies again
      await c.query('INSERT INTO audit_unlinked (seq) VALUES ($1)', [e.seq.toString()]);
      expect(await linkAuditChain({ db })).toBe(1);
      expect(await verifyAuditChain({ db, signer })).toMatchObject({ ok: true, checked: 6 });
    } finally {
      await c.end();
    }
  });

  it('accepts the intact chain, then finds an edited row, then a deleted row', async () => {
    const ok = await verifyAuditChain({ db, signer });
    expect(ok).toMatchObject({ ok: true, checked: 6, unlinked: { count: 0, overdue: 0 } });

    await tamper(`UPDATE audit_event SET data = '{"i": 99}' WHERE subject_id = '2'`);
    const edited = await verifyAuditChain({ db, signer });
    expect(edited.ok).toBe(false);
    expect(edited.problem!.message).toMatch(/edited/);
    expect(edited.checked).toBe(2);

    await tamper(`UPDATE audit_event SET data = '{"i": 2, "nested": {"a": [true, null], "b": 1}}' WHERE subject_id = '2'`);
    expect((await verifyAuditChain({ db, signer })).ok).toBe(true);

    await tamper(`DELETE FROM audit_event WHERE subject_id = '3'`);
    const deleted = await verifyAuditChain({ db, signer });
    expect(deleted.ok).toBe(false);
    expect(deleted.problem!.message).toMatch(/deleted/);
  });
});
