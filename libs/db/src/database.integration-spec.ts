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
    await db.createCommunity({
      id: communityId, uri: `udap://db-test-${communityId}/`, name: 'DB test', allowedLeafKeyTypes: ['RSA-2048'],
      maxLeafValidityDays: 365, crlLifetimeSeconds: 7 * 86400, allowGeneratedKeys: false, requireEndpointControl: false, autoApproveVerified: false,
    });
  });
  afterAll(() => db.close());

  it('re-running migrations applies nothing and keeps the schema', async () => {
    expect(await migrateDatabase(testDatabaseUrl())).toEqual([]);
  });

  it('refuses a second community with the same URI', async () => {
    const c = (await db.findCommunity(communityId))!;
    await expect(db.createCommunity({ ...c, id: randomUUID() })).rejects.toBeInstanceOf(DbConflictError);
  });

  it('binds a SAN URI to one organization for good', async () => {
    const a = await db.createOrganization({ id: randomUUID(), communityId, name: 'A' });
    const b = await db.createOrganization({ id: randomUUID(), communityId, name: 'B' });
    await db.bindSanUris(communityId, a.id, ['https://a.example.org/fhir']);
    await db.bindSanUris(communityId, a.id, ['https://a.example.org/fhir']); // idempotent for the owner
    await expect(db.bindSanUris(communityId, b.id, ['https://a.example.org/fhir'])).rejects.toThrow(/belongs to another organization/);
    expect((await db.findOrganization(a.id))!.sanUris).toEqual(['https://a.example.org/fhir']);
    expect((await db.findOrganization(b.id))!.sanUris).toEqual([]);
  });

  it('rolls back everything a failed transaction wrote', async () => {
    const id = randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await tx.createOrganization({ id, communityId, name: 'rolled back' });
        await tx.appendAudit({ at: new Date(), actor: 'test', action: 'org.create', subjectType: 'organization', subjectId: id, data: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.findOrganization(id)).toBeNull();
  });

  it('chains audit events and refuses to edit or delete them', async () => {
    const e1 = await db.appendAudit({ at: new Date('2026-11-22T10:00:00.123Z'), actor: 'op', action: 'x', subjectType: 't', subjectId: '1', data: { b: 2, a: [1, 'z'] } });
    const e2 = await db.appendAudit({ at: new Date('2026-11-22T10:00:01Z'), actor: 'op', action: 'y', subjectType: 't', subjectId: '2', data: {} });
    expect(e2.prevHash).toBe(e1.hash);
    const page = await db.readAudit(e1.seq - 1n, 2);
    expect(page.map((e) => e.hash)).toEqual([e1.hash, e2.hash]);
    // the stored row re-hashes to the stored hash even though jsonb reordered the keys
    expect(auditHash(page[0].prevHash, page[0])).toBe(e1.hash);
    expect(AUDIT_GENESIS).toHaveLength(64);
    const c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    try {
      await expect(c.query('UPDATE audit_event SET actor = $1 WHERE seq = $2', ['mallory', e1.seq.toString()])).rejects.toThrow(/append-only/);
      await expect(c.query('DELETE FROM audit_event WHERE seq = $1', [e1.seq.toString()])).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
  });

  it('serializes CRL generation per CA and refuses a CRL number that does not advance', async () => {
    const caId = randomUUID();
    await db.createCa({
      id: caId, communityId, role: 'root', status: 'awaiting-certificate', parentId: null, subjectDer: new Uint8Array([0x30, 0]),
      subject: 'CN=x', keyType: 'RSA-2048', keyRef: 'soft:x', spkiDer: new Uint8Array([1]), certificateDer: null, csrDer: null, notBefore: null, notAfter: null,
    });
    const order: string[] = [];
    const gen = (label: string, delay: number) =>
      db.withCrlGeneration(caId, async (g) => {
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
    expect((await db.latestCrl(caId, false))!.crlNumber).toBe(2n);
    await expect(
      db.withCrlGeneration(caId, (g) => g.storeCrl({ id: randomUUID(), crlNumber: 2n, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 1), entryCount: 0, sha256: 'x', der: new Uint8Array([0]) })),
    ).rejects.toThrow(/does not advance/);
  });
});
