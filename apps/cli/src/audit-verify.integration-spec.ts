import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createAuditCheckpoint, openPlatform, type Platform } from '@anchorage/authority';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { createTokenWithCli, platformEnv, startApiProcess, tempDir, testDatabaseUrl, testPlatformOptions, type ApiProcess } from '@anchorage/testing';
import { cliAgainst } from './testing/run';

// `audit verify --checkpoint`: an auditor checks the log against a checkpoint they kept. A database of
// its own, because the test deletes audit events the way a superuser could.
describe('audit verify --checkpoint against the running API process', () => {
  const options = testPlatformOptions('http://pki.cli-audit.invalid');
  const auditor = tempDir('anchorage-auditor-');
  let fresh: FreshDatabase;
  let worker: Platform;
  let api: ApiProcess;
  let token = '';

  const cli = cliAgainst(() => api.url, () => token);

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_cliaudit`.slice(0, 63));
    api = await startApiProcess(platformEnv({ ...options, databaseUrl: fresh.url }));
    token = createTokenWithCli(fresh.url, 'audit-verify-test');
    // what the worker does every few minutes, here by hand
    worker = await openPlatform({ ...options, databaseUrl: fresh.url });
    for (let i = 0; i < 6; i++) await worker.db.audit.append({ at: new Date(), actor: 'op', action: 'test.event', subjectType: 't', subjectId: String(i), data: { i } });
    await createAuditCheckpoint(worker);
    copyFileSync(join(options.publishDir, 'audit', 'checkpoint.jws'), join(auditor, 'kept.jws'));
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    await worker?.close();
    await fresh?.drop();
  });

  it('accepts the log that holds the kept checkpoint', async () => {
    const v = await cli('audit', 'verify', '--checkpoint', join(auditor, 'kept.jws'));
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^audit chain intact: 7 events; it holds every checkpoint checked:\n {2}supplied checkpoint of event \d+ \(7 events\), signed /);
  });

  it('refuses a kept checkpoint whose signature was tampered with', async () => {
    const [h, p, s] = readFileSync(join(auditor, 'kept.jws'), 'ascii').trim().split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[0] ^= 1;
    writeFileSync(join(auditor, 'tampered.jws'), `${h}.${p}.${sig.toString('base64url')}\n`);
    const v = await cli('--json', 'audit', 'verify', '--checkpoint', join(auditor, 'tampered.jws'));
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out)).toMatchObject({ ok: false, problem: { code: 'bad-signature', seq: null } });
  });

  it('reports the newest events deleted, by a superuser who also deleted the checkpoint rows', async () => {
    const admin = new Client({ connectionString: fresh.url });
    await admin.connect();
    try {
      await admin.query('SET session_replication_role = replica');
      await admin.query('DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 2 FROM audit_event)');
      await admin.query('DELETE FROM audit_checkpoint');
    } finally {
      await admin.end();
    }
    const v = await cli('audit', 'verify', '--checkpoint', join(auditor, 'kept.jws'));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^audit chain BROKEN \(truncated\) at event (\d+): supplied checkpoint \1 signed at \S+ names event \1, but the log ends at event \d+: the newest events were deleted$/);
    expect((await cli('audit', 'verify', '--checkpoint', join(auditor, 'missing.jws'))).err).toMatch(/ENOENT|no such file/);
  });
});
