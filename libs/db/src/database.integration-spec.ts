import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { Database } from './database';
import { DbConflictError } from './errors';
import { AUDIT_GENESIS, auditHash } from './audit-hash';
import { migrateDatabase } from './migrate';

describe('Database (real PostgreSQL)', () => {
  let db: Database;
  let communityId: string;

  beforeAll(async () => {
    db = Database.open(testDatabaseUrl(), 4);
    communityId = randomUUID();
    await db.communities.create({
      id: communityId, uri: `udap://db-test-${communityId}/`, name: 'DB test', allowedLeafKeyTypes: ['RSA-2048'],
      maxLeafValidityDays: 365, crlLifetimeSeconds: 7 * 86400, allowGeneratedKeys: false, requireEndpointControl: false, autoApproveVerified: false,
    });
  });
  afterAll(() => db.close());

  it('re-running migrations applies nothing and keeps the schema', async () => {
    expect(await migrateDatabase(testDatabaseUrl())).toEqual([]);
  });

  it('refuses a second community with the same URI', async () => {
    const c = (await db.communities.find(communityId))!;
    await expect(db.communities.create({ ...c, id: randomUUID() })).rejects.toBeInstanceOf(DbConflictError);
  });

  it('binds a SAN URI to one organization for good', async () => {
    const a = await db.organizations.create({ id: randomUUID(), communityId, name: 'A' });
    const b = await db.organizations.create({ id: randomUUID(), communityId, name: 'B' });
    await db.organizations.bindSanUris(communityId, a.id, ['https://a.example.org/fhir']);
    await db.organizations.bindSanUris(communityId, a.id, ['https://a.example.org/fhir']); // idempotent for the owner
    await expect(db.organizations.bindSanUris(communityId, b.id, ['https://a.example.org/fhir'])).rejects.toThrow(/belongs to another organization/);
    expect((await db.organizations.find(a.id))!.sanUris).toEqual(['https://a.example.org/fhir']);
    expect((await db.organizations.find(b.id))!.sanUris).toEqual([]);
  });

  it('rolls back everything a failed transaction wrote', async () => {
    const id = randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await tx.organizations.create({ id, communityId, name: 'rolled back' });
        await tx.audit.append({ at: new Date(), actor: 'test', action: 'org.create', subjectType: 'organization', subjectId: id, data: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.organizations.find(id)).toBeNull();
    expect(await db.audit.read(0n, 10, { subjectId: id })).toEqual([]);
  });

  it('a transaction opened inside one joins it: its typed and raw SQL writes roll back with the outer one', async () => {
    const id = randomUUID();
    const jobId = `scope-test-${id}`;
    await expect(
      db.transaction(async (tx) => {
        await tx.organizations.create({ id, communityId, name: 'joined' });
        await tx.transaction(async (inner) => {
          await inner.audit.appendMany([{ at: new Date(), actor: 'test', action: 'inner', subjectType: 'organization', subjectId: id, data: {} }]);
          expect(await inner.outbox.enqueue({ jobId, queue: 'q', name: 'n', payload: {} })).toBe(true);
        });
        // visible inside the transaction: the inner writes ran on the same connection
        expect(await tx.audit.read(0n, 10, { subjectId: id })).toHaveLength(1);
        expect(await tx.organizations.find(id)).not.toBeNull();
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await db.organizations.find(id)).toBeNull();
    expect(await db.audit.read(0n, 10, { subjectId: id })).toEqual([]);
    expect(await db.outboxRelay.find(jobId)).toBeNull();
  });

  it('the audit sequencer links committed rows only: it refuses to run inside a transaction', async () => {
    await expect(db.transaction((tx) => tx.audit.link())).rejects.toThrow(/outside a transaction/);
  });

  it('writes audit events unlinked, the sequencer links them, and a row refuses every change but its one linking', async () => {
    const e1 = await db.audit.append({ at: new Date('2026-11-22T10:00:00.123Z'), actor: 'op', action: 'x', subjectType: 't', subjectId: '1', data: { b: 2, a: [1, 'z'] } });
    const e2 = await db.audit.append({ at: new Date('2026-11-22T10:00:01Z'), actor: 'op', action: 'y', subjectType: 't', subjectId: '2', data: {} });
    expect([e1.chainSeq, e1.hash, e2.prevHash]).toEqual([null, null, null]);
    await db.audit.link();
    const page = await db.audit.read(e1.seq - 1n, 2);
    expect(page.map((e) => e.seq)).toEqual([e1.seq, e2.seq]);
    const [l1, l2] = page;
    expect(l2.prevHash).toBe(l1.hash);
    expect(l2.chainSeq).toBe(l1.chainSeq! + 1n);
    // the stored row re-hashes to the stored hash even though jsonb reordered the keys
    expect(auditHash(l1.prevHash!, l1)).toBe(l1.hash);
    expect(AUDIT_GENESIS).toHaveLength(64);
    const c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    try {
      await expect(c.query('UPDATE audit_event SET actor = $1 WHERE seq = $2', ['mallory', e1.seq.toString()])).rejects.toThrow(/append-only/);
      await expect(c.query('DELETE FROM audit_event WHERE seq = $1', [e1.seq.toString()])).rejects.toThrow(/append-only/);
      await expect(c.query('TRUNCATE audit_event CASCADE')).rejects.toThrow(/append-only/);
      // a link is written once: never changed, removed or truncated
      await expect(c.query('UPDATE audit_link SET hash = $1 WHERE seq = $2', ['f'.repeat(64), e1.seq.toString()])).rejects.toThrow(/append-only/);
      await expect(c.query('DELETE FROM audit_link WHERE seq = $1', [e1.seq.toString()])).rejects.toThrow(/append-only/);
      await expect(c.query('TRUNCATE audit_link')).rejects.toThrow(/append-only/);
      // nor can a second link be written for a linked row, or at a place in the chain already taken
      await expect(c.query(`INSERT INTO audit_link (seq, chain_seq, prev_hash, hash) VALUES ($1, 999999, $2, $2)`, [e1.seq.toString(), 'a'.repeat(64)])).rejects.toThrow(/audit_link_pkey/);
      const e3 = await db.audit.append({ at: new Date(), actor: 'op', action: 'z', subjectType: 't', subjectId: '3', data: {} });
      await expect(c.query(`INSERT INTO audit_link (seq, chain_seq, prev_hash, hash) VALUES ($1, $2, $3, $3)`, [e3.seq.toString(), l1.chainSeq!.toString(), 'a'.repeat(64)])).rejects.toThrow(/audit_link_chain_seq_key/);
      expect((await db.audit.link()).linked).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('serializes CRL generation per CA and refuses a CRL number that does not advance', async () => {
    const caId = randomUUID();
    await db.cas.create({
      id: caId, communityId, role: 'root', status: 'awaiting-certificate', parentId: null, subjectDer: new Uint8Array([0x30, 0]),
      subject: 'CN=x', keyType: 'RSA-2048', keyRef: 'soft:x', spkiDer: new Uint8Array([1]), certificateDer: null, csrDer: null, notBefore: null, notAfter: null,
    });
    const order: string[] = [];
    const gen = (label: string, delay: number) =>
      db.crls.generate(caId, async (g) => {
        order.push(`${label}:start:${g.lastCrlNumber}`);
        await new Promise((r) => setTimeout(r, delay));
        const n = g.lastCrlNumber + 1n;
        await g.storeCrl({ id: randomUUID(), crlNumber: n, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 1000), entryCount: 0, sha256: randomBytes(32).toString('hex'), der: new Uint8Array([0x30, 0]) });
        order.push(`${label}:end:${n}`);
      });
    await Promise.all([gen('a', 150), gen('b', 0)]);
    // the second generation starts only after the first committed, and sees its number
    expect(order[1]).toMatch(/:end:1$/);
    expect(order[2]).toMatch(/:start:1$/);
    expect((await db.crls.latest(caId, false))!.crlNumber).toBe(2n);
    await expect(
      db.crls.generate(caId, (g) => g.storeCrl({ id: randomUUID(), crlNumber: 2n, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 1), entryCount: 0, sha256: 'x', der: new Uint8Array([0]) })),
    ).rejects.toThrow(/does not advance/);
  });
});
