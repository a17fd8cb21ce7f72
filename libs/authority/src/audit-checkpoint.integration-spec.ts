import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { FakeClock, openssl, tempDir, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { auditPublicKey, signCheckpoint } from './audit-checkpoint';
import { linkAuditChain } from './audit-sequencer';
import { createAuditCheckpoint } from './create-audit-checkpoint';
import { openPlatform, type Platform } from './platform';
import { CHAIN_START, verifyAuditChain, walkAuditChain } from './verify-audit';

const dbName = (suffix: string) => `${new URL(testDatabaseUrl()).pathname.slice(1)}_${suffix}`.slice(0, 63);

async function appendEvents(p: Platform, n: number, clock: FakeClock): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await p.db.audit.append({ at: clock.now(), actor: 'op', action: 'test.event', subjectType: 't', subjectId: String(i), data: { i } });
  }
}

/** Runs `sql` as the database superuser with every trigger bypassed: what the append-only trigger cannot stop. */
async function asSuperuser(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SET session_replication_role = replica');
    await c.query(sql, params);
  } finally {
    await c.end();
  }
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const partsOf = (jws: string) => {
  const [h, p, s] = jws.split('.');
  return { input: Buffer.from(`${h}.${p}`, 'ascii'), header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()), signature: Buffer.from(s, 'base64url') };
};

describe('audit checkpoints: signing, idempotence and publication', () => {
  const clock = new FakeClock('2026-11-23T08:00:00.000Z');
  const options = testPlatformOptions();
  let fresh: FreshDatabase;
  let p: Platform;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), dbName('checkpoint'));
    p = await openPlatform({ ...options, databaseUrl: fresh.url, clock });
  });
  afterAll(async () => {
    await p?.close();
    await fresh?.drop();
  });

  it('signs nothing for an empty log, then the head once: a run with no new event signs no second checkpoint', async () => {
    expect(await createAuditCheckpoint(p)).toMatchObject({ action: 'empty', seq: null });
    await appendEvents(p, 10, clock);
    expect(await p.db.audit.checkpoints.head()).toBeNull(); // written, not linked yet: the checkpoint run links them
    await linkAuditChain(p);
    const head = (await p.db.audit.checkpoints.head())!;
    const first = await createAuditCheckpoint(p);
    expect(first).toMatchObject({ action: 'created', seq: head.seq.toString(), count: '10' });
    expect(first.written.sort()).toEqual(['audit/checkpoint.jws', `audit/checkpoints/${head.seq}.jws`, 'audit/key.pem']);

    clock.advance(600_000);
    expect(await createAuditCheckpoint(p)).toEqual({ action: 'unchanged', seq: head.seq.toString(), count: '10', written: [] });
    expect(await query(fresh.url, 'SELECT seq::text FROM audit_checkpoint')).toEqual([{ seq: head.seq.toString() }]);

    await appendEvents(p, 3, clock);
    expect(await createAuditCheckpoint(p, { minEvents: 5 })).toMatchObject({ action: 'too-few-events', seq: head.seq.toString() });
    const second = await createAuditCheckpoint(p);
    expect(second).toMatchObject({ action: 'created', seq: (head.seq + 3n).toString(), count: '13' });
    expect(await createAuditCheckpoint(p)).toMatchObject({ action: 'unchanged', seq: second.seq });
    expect((await query(fresh.url, 'SELECT count(*)::int AS n FROM audit_checkpoint'))[0]).toEqual({ n: 2 });
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true, checked: 13, checkpoints: [{ source: 'stored', seq: second.seq, count: '13' }] });
  });

  it('publishes the stored bytes to the directory and to memory, and OpenSSL verifies them with the published key', async () => {
    const stored = (await p.db.audit.checkpoints.latest())!;
    const dir = options.publishDir;
    const file = readFileSync(join(dir, 'audit', 'checkpoint.jws'));
    expect(file.toString('ascii')).toBe(stored.jws);
    expect(readFileSync(join(dir, 'audit', 'checkpoints', `${stored.seq}.jws`))).toEqual(file);
    expect(p.repository.auditCheckpoint()!.body).toEqual(file);
    expect(p.repository.auditCheckpoint()!.contentType).toBe('application/jose');
    const keyPem = readFileSync(join(dir, 'audit', 'key.pem'));
    expect(p.repository.auditKey()!.body).toEqual(keyPem);

    const { input, header, payload, signature } = partsOf(stored.jws);
    expect(header).toEqual({ alg: 'EdDSA', kid: stored.keyId, typ: 'anchorage-audit-checkpoint+jws' });
    const event = (await p.db.audit.readChain(stored.seq - 1n, 1))[0];
    expect(payload).toEqual({ v: 1, seq: stored.seq.toString(), hash: event.hash, count: '13', at: stored.signedAt.toISOString(), platform: 'http://pki.test.invalid' });

    const work = tempDir('anchorage-checkpoint-');
    writeFileSync(join(work, 'input'), input);
    writeFileSync(join(work, 'sig'), signature);
    const check = () => openssl(['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'audit', 'key.pem'), '-rawin', '-in', join(work, 'input'), '-sigfile', join(work, 'sig')]);
    expect(check().stdout).toMatch(/Signature Verified Successfully/);
    expect(verify(null, input, createPublicKey(keyPem), signature)).toBe(true);
    writeFileSync(join(work, 'input'), Buffer.from(input.toString('ascii').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'ascii'));
    expect(check().status).not.toBe(0);
  });

  it('leaves an earlier checkpoint in the directory and never puts the newest back to an older one', async () => {
    const rows = await query<{ seq: string; jws: string }>(fresh.url, 'SELECT seq::text, jws FROM audit_checkpoint ORDER BY audit_checkpoint.seq');
    expect(rows).toHaveLength(2);
    expect(existsSync(join(options.publishDir, 'audit', 'checkpoints', `${rows[0].seq}.jws`))).toBe(true);
    // a second process that only saw the first checkpoint publishes it late
    const late = await openPlatform({ ...options, databaseUrl: fresh.url, clock });
    try {
      writeFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'), rows[0].jws);
      expect(await createAuditCheckpoint(late)).toMatchObject({ action: 'unchanged', seq: rows[1].seq, written: ['audit/checkpoint.jws'] });
      expect(readFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'), 'ascii')).toBe(rows[1].jws);
    } finally {
      await late.close();
    }
  });
});

describe('audit checkpoints catch what the chain alone cannot', () => {
  const clock = new FakeClock('2026-11-23T09:00:00.000Z');
  const options = testPlatformOptions();
  let fresh: FreshDatabase;
  let p: Platform;
  let checkpoint = '';
  let checkpointSeq = 0n;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), dbName('truncation'));
    p = await openPlatform({ ...options, databaseUrl: fresh.url, clock });
    await appendEvents(p, 12, clock);
    await createAuditCheckpoint(p);
    const stored = (await p.db.audit.checkpoints.latest())!;
    checkpoint = stored.jws;
    checkpointSeq = stored.seq;
  });
  afterAll(async () => {
    await p?.close();
    await fresh?.drop();
  });

  it('accepts the untouched log against its checkpoint, the stored and published copies and a supplied one', async () => {
    const v = await verifyAuditChain(p, { checkpoint });
    expect(v).toMatchObject({ ok: true, checked: 12, lastSeq: checkpointSeq.toString() });
    expect(v.checkpoints.map((c) => c.source)).toEqual(['supplied']); // the same bytes are checked once
    expect(v.problem).toBeUndefined();
  });

  it('reports a tampered or foreign signature and a checkpoint that is not one', async () => {
    const [h, pl, sig] = checkpoint.split('.');
    const flipped = Buffer.from(sig, 'base64url');
    flipped[10] ^= 1;
    const tampered = await verifyAuditChain(p, { checkpoint: `${h}.${pl}.${flipped.toString('base64url')}` });
    expect(tampered).toMatchObject({ ok: false, problem: { code: 'bad-signature', seq: null } });
    expect(tampered.problem!.message).toMatch(/supplied checkpoint: .*does not verify with the audit key/);

    // a claim of a longer log, re-signed by nobody: the payload changed under the old signature
    const longer = Buffer.from(JSON.stringify({ ...partsOf(checkpoint).payload, seq: '99' })).toString('base64url');
    expect((await verifyAuditChain(p, { checkpoint: `${h}.${longer}.${sig}` })).problem).toMatchObject({ code: 'bad-signature' });

    const other = await openPlatform({ ...testPlatformOptions(), databaseUrl: fresh.url, clock });
    try {
      const foreign = await verifyAuditChain(p, { checkpoint: await signedBy(other, checkpoint) });
      expect(foreign.problem).toMatchObject({ code: 'bad-signature' });
      expect(foreign.problem!.message).toMatch(/signed by key \S+, not by this platform's audit key/);
    } finally {
      await other.close();
    }
    expect((await verifyAuditChain(p, { checkpoint: 'e30.e30.AAAA' })).problem).toMatchObject({ code: 'bad-checkpoint' });
  });

  it('reports a forged checkpoint row', async () => {
    const forged = `${checkpoint.slice(0, -4)}AAAA`;
    await asSuperuser(fresh.url, 'INSERT INTO audit_checkpoint (seq, event_hash, event_count, signed_at, key_id, jws) VALUES ($1, $2, 1, now(), $3, $4)', [
      (checkpointSeq + 1000n).toString(), '0'.repeat(64), 'forged', forged,
    ]);
    try {
      const v = await verifyAuditChain(p);
      expect(v).toMatchObject({ ok: false, problem: { code: 'bad-signature' } });
      expect(v.problem!.message).toMatch(/^stored checkpoint: /);
      await expect(createAuditCheckpoint(p)).rejects.toThrow(/stored checkpoint: .*no checkpoint signed/);
    } finally {
      await asSuperuser(fresh.url, 'DELETE FROM audit_checkpoint WHERE key_id = $1', ['forged']);
    }
  });

  it('finds the newest events deleted with the trigger bypassed, which the chain alone does not', async () => {
    await asSuperuser(fresh.url, 'DELETE FROM audit_event WHERE seq > $1', [(checkpointSeq - 3n).toString()]);
    // the chain itself still links up: this is the gap the checkpoint closes
    expect((await walkAuditChain(p.db, CHAIN_START, 100)).problem).toBeUndefined();

    const v = await verifyAuditChain(p);
    expect(v).toMatchObject({ ok: false, checked: 9, problem: { code: 'truncated', seq: checkpointSeq.toString() } });
    expect(v.problem!.message).toBe(`stored checkpoint ${checkpointSeq} signed at ${clock.now().toISOString()} names event ${checkpointSeq}, but the log ends at event ${checkpointSeq - 3n}: the newest events were deleted`);
    await expect(createAuditCheckpoint(p)).rejects.toThrow(/the newest events were deleted; no checkpoint signed/);
    expect((await query(fresh.url, 'SELECT count(*)::int AS n FROM audit_checkpoint'))[0]).toEqual({ n: 1 });
  });

  it('still finds it from the published copy and from an auditor\'s copy once the checkpoint rows are gone too', async () => {
    await asSuperuser(fresh.url, 'DELETE FROM audit_checkpoint');
    expect((await verifyAuditChain(p)).problem).toMatchObject({ code: 'truncated' }); // this process's published copy
    expect((await verifyAuditChain({ db: p.db, signer: p.signer })).problem).toBeUndefined(); // nothing left in the database to tell
    // another process with nothing in memory and no publish directory: only the kept copy tells
    const blind = await openPlatform({ ...options, databaseUrl: fresh.url, clock, publishDir: null });
    try {
      expect(await verifyAuditChain(blind)).toMatchObject({ ok: true, checkpoints: [] });
      expect(await verifyAuditChain(blind, { checkpoint })).toMatchObject({ ok: false, problem: { code: 'truncated' }, checkpoints: [{ source: 'supplied' }] });
      // the worker refuses too: the publish directory still holds the checkpoint
      await expect(createAuditCheckpoint(p)).rejects.toThrow(/published checkpoint .* the newest events were deleted/);

      // the log goes on after the deletion: the deleted events' links are still in audit_link (insert-only),
      // so the sequencer links the new events after them, and from then on the chain itself shows the gap,
      // with or without a checkpoint
      await appendEvents(blind, 4, clock);
      expect(await linkAuditChain(blind)).toBe(4);
      for (const v of [await verifyAuditChain(blind), await verifyAuditChain(blind, { checkpoint })]) {
        expect(v).toMatchObject({ ok: false, checked: 9, problem: { code: 'link-broken', seq: (checkpointSeq + 1n).toString() } });
        expect(v.problem!.message).toMatch(/an earlier event was deleted/);
      }
    } finally {
      await blind.close();
    }
  });
});

/** The claims of `jws`, signed by the audit key of `other` (another platform's key). */
async function signedBy(other: Platform, jws: string): Promise<string> {
  const { payload } = partsOf(jws);
  return signCheckpoint(other.signer, await auditPublicKey(other.signer), {
    seq: BigInt(payload.seq), hash: payload.hash, count: BigInt(payload.count), at: new Date(payload.at), platform: payload.platform,
  });
}
