import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApiToken, createAuditCheckpoint, openPlatform, type Platform } from '@anchorage/authority';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { openssl, tempDir, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// A database of its own: the test deletes audit events the way a superuser could.
describe('audit checkpoints in the public repository and GET /api/v1/audit/verify', () => {
  const options = testPlatformOptions();
  let fresh: FreshDatabase;
  let api: Platform;
  let worker: Platform;
  let srv: RunningServer;
  let token: string;

  const events = async (p: Platform, n: number) => {
    for (let i = 0; i < n; i++) await p.db.audit.append({ at: new Date(), actor: 'op', action: 'test.event', subjectType: 't', subjectId: String(i), data: { i } });
  };
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${srv.url}${path}`, { headers });
  const verify = async (checkpoint?: string) => {
    const res = await get(`/api/v1/audit/verify${checkpoint === undefined ? '' : `?checkpoint=${encodeURIComponent(checkpoint)}`}`, { authorization: `Bearer ${token}` });
    return { status: res.status, json: await res.json() };
  };
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    for (const until = Date.now() + 20_000; !(await check());) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_apicheckpoint`.slice(0, 63));
    // the API process and a worker process: one key store and publish directory, two platforms
    api = await openPlatform({ ...options, databaseUrl: fresh.url });
    worker = await openPlatform({ ...options, databaseUrl: fresh.url });
    token = (await createApiToken(api, 'checkpoint-test', { id: 'test', role: 'operator' })).token;
    await events(api, 5);
    await createAuditCheckpoint(worker);
    srv = await startServer(api, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv?.close();
    await worker?.close();
    await api?.close();
    await fresh?.drop();
  });

  it('serves the bytes of the publish directory: the newest checkpoint and the key OpenSSL verifies it with', async () => {
    const file = readFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'));
    const res = await get('/pki/audit/checkpoint.jws');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jose');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(file);
    const again = await get('/pki/audit/checkpoint.jws', { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);

    const keyRes = await get('/pki/audit/key.pem');
    expect(keyRes.status).toBe(200);
    const key = Buffer.from(await keyRes.arrayBuffer());
    expect(key).toEqual(readFileSync(join(options.publishDir, 'audit', 'key.pem')));
    const dir = tempDir('anchorage-api-checkpoint-');
    const [h, p, s] = file.toString('ascii').split('.');
    writeFileSync(join(dir, 'key.pem'), key);
    writeFileSync(join(dir, 'input'), `${h}.${p}`);
    writeFileSync(join(dir, 'sig'), Buffer.from(s, 'base64url'));
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'key.pem'), '-rawin', '-in', join(dir, 'input'), '-sigfile', join(dir, 'sig')]).stdout).toMatch(/Signature Verified Successfully/);
  });

  it('serves a checkpoint another process commits as soon as it commits', async () => {
    await events(worker, 2);
    const out = await createAuditCheckpoint(worker);
    expect(out.action).toBe('created');
    const file = readFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'));
    await waitFor('the API to serve the new checkpoint', async () => Buffer.from(await (await get('/pki/audit/checkpoint.jws')).arrayBuffer()).equals(file));
  });

  it('reports truncation against the stored checkpoint and against a kept copy, and refuses a malformed one', async () => {
    const kept = readFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'), 'ascii');
    expect(await verify(kept)).toMatchObject({ status: 200, json: { ok: true } });

    const admin = new Client({ connectionString: fresh.url });
    await admin.connect();
    try {
      await admin.query('SET session_replication_role = replica');
      await admin.query('DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 2 FROM audit_event)');
    } finally {
      await admin.end();
    }
    const v = await verify();
    expect(v).toMatchObject({ status: 200, json: { ok: false, problem: { code: 'truncated' } } });
    expect(v.json.problem.message).toMatch(/names event \d+, but the log ends at event \d+: the newest events were deleted/);
    expect((await verify(kept)).json.problem).toMatchObject({ code: 'truncated' });
    expect(await verify('not a checkpoint')).toMatchObject({ status: 400, json: { code: 'validation' } });
  });
});
