import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApiToken, createCommunity, createOrganization, createUser, openPlatform, type CreatedCommunity, type Platform } from '@anchorage/authority';
import {
  isolatedPlatformOptions, opensslCsr, platformEnv, startApiProcess, startWorkerProcess, tempDir, testRedisUrl, type IsolatedPlatformOptions,
} from '@anchorage/testing';
import { startServer } from './server';

const operator = { id: 'key-check-operator', role: 'operator' as const };

/** What starting a process came to: the URL it listened on (then it is stopped), or its output once it exited. */
async function startOutcome(start: () => Promise<{ stop(): Promise<void> }>): Promise<string> {
  return start().then(async (running) => {
    await running.stop();
    return 'started';
  }, (err: Error) => err.message);
}

// The real API and worker processes against a database of their own (the run's shared database
// holds other test files' CAs, whose keys are in other key stores): a wrong or missing
// key-encryption key stops them before they serve, naming the problem.
describe('API and worker processes refuse to start when a key does not open', () => {
  const dir = tempDir('anchorage-api-key-check-');
  const host = `akc-${randomUUID().slice(0, 8)}.example.org`;
  let opts: IsolatedPlatformOptions;
  let c: CreatedCommunity;
  let orgId: string;
  let userId: string;
  const wrongKek = join(dir, 'wrong-kek');
  const worker = () => ({ ANCHORAGE_REDIS_URL: testRedisUrl(), ANCHORAGE_QUEUE_PREFIX: `akc-${randomUUID().slice(0, 8)}`, ANCHORAGE_METRICS_PORT: 'off' });

  beforeAll(async () => {
    writeFileSync(wrongKek, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    opts = await isolatedPlatformOptions('http://pki.key-check.invalid');
    const p = await openPlatform(opts);
    try {
      c = await createCommunity(p, { name: 'API Key Check', uri: `udap://${host}/`, caKeyType: 'EC-P256' }, operator);
      orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Key Check Clinic', sanUris: [`https://${host}/fhir`] }, operator)).id;
      userId = (await createUser(p, { email: `op@${host}`, displayName: 'Op', role: 'operator', password: 'key check password', communities: 'all' }, operator)).id;
    } finally {
      await p.close();
    }
  }, 120_000);
  afterAll(() => opts?.drop());

  it('API with a wrong key-encryption key: exits 1 before it listens, naming each CA', async () => {
    const out = await startOutcome(() => startApiProcess({ ...platformEnv(opts), ANCHORAGE_KEK_FILE: wrongKek }));
    expect(out).toMatch(/^API exited with 1: /);
    expect(out).not.toMatch(/listening on/);
    expect(out).toContain('refusing to start: keys do not open');
    for (const ca of [c.root, c.issuing]) expect(out).toMatch(new RegExp(`CA ${ca.id} .*wrong key-encryption key`));
    expect(out).not.toContain('TOTP secret'); // sealed under the web key, which is right
  }, 90_000);

  it('API with a wrong web key: exits 1 before it listens, naming the sealed secret', async () => {
    const out = await startOutcome(() => startApiProcess({ ...platformEnv(opts), ANCHORAGE_WEB_KEY_FILE: wrongKek }));
    expect(out).toMatch(/^API exited with 1: /);
    expect(out).toContain(`the TOTP secret of user ${userId} does not open: the web key`);
    expect(out).not.toMatch(/CA \S+ \(/); // the CA keys open
  }, 90_000);

  it('API with a missing key-encryption key file: exits 1 before it listens, naming the file', async () => {
    const missing = join(dir, 'no-such-kek');
    const out = await startOutcome(() => startApiProcess({ ...platformEnv(opts), ANCHORAGE_KEK_FILE: missing }));
    expect(out).toMatch(/^API exited with 1: /);
    expect(out).not.toMatch(/listening on/);
    expect(out).toContain(`cannot read key-encryption key file ${missing}: ENOENT`);
  }, 90_000);

  it('worker with a wrong or missing key-encryption key: exits 1 before it starts', async () => {
    const wrong = await startOutcome(() => startWorkerProcess({ ...platformEnv(opts), ...worker(), ANCHORAGE_KEK_FILE: wrongKek }));
    expect(wrong).toMatch(/^worker exited with 1: /);
    expect(wrong).toMatch(new RegExp(`CA ${c.issuing.id} .*wrong key-encryption key`));
    const missing = await startOutcome(() => startWorkerProcess({ ...platformEnv(opts), ...worker(), ANCHORAGE_KEK_FILE: join(dir, 'no-such-kek') }));
    expect(missing).toMatch(/^worker exited with 1: .*cannot read key-encryption key file/s);
  }, 90_000);

  it('API and worker with the right key-encryption key: start and serve', async () => {
    const api = await startApiProcess(platformEnv(opts));
    try {
      expect((await fetch(`${api.url}/pki/ca/${c.issuing.id}.cer`)).status).toBe(200);
    } finally {
      await api.stop();
    }
    expect(await startOutcome(() => startWorkerProcess({ ...platformEnv(opts), ...worker() }))).toBe('started');
  }, 180_000);

  it('answers an issuance whose CA key does not open with 503 signer-error and records no pending certificate', async () => {
    // an instance that skipped the start-up check (or a CA made since by an instance with another key)
    const wrong: Platform = await openPlatform({ ...opts, kekFile: wrongKek });
    const srv = await startServer(wrong, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    const sql = new Client({ connectionString: opts.databaseUrl });
    await sql.connect();
    try {
      const token = (await createApiToken(wrong, 'key-check', operator)).token;
      const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
      const res = await fetch(`${srv.url}/api/v1/certificates`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ organizationId: orgId, profile: 'udap-client', csr: csr.csrPem, requestId: 'akc-1' }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 503, code: 'signer-error' });
      expect((await sql.query('SELECT count(*)::int AS n FROM certificate WHERE organization_id = $1', [orgId])).rows[0].n).toBe(0);
    } finally {
      await sql.end();
      await srv.close();
      await wrong.close();
    }
  });
});
