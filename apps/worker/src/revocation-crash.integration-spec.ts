import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Platform } from '@anchorage/authority';
import type { CertificateRecord } from '@anchorage/db';
import { hasSerial, readCrlInfo } from '@anchorage/pki';
import { createTokenWithCli, openssl, platformEnv, startApiProcess, tempDir, testRedisUrl, writePem, type ApiProcess } from '@anchorage/testing';
import { eventually, isolatedPlatform, organizationWithCertificates, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

const SWEEP_SECONDS = 4;

// A real API process is SIGKILLed during a burst of revocations, at a moment the database holds
// revocations committed but on no CRL yet. Every revocation the database committed must then reach
// the served CRL: through the worker's next sweep, or through the next API process's start.
describe('revocations committed before a crash reach the CRL', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let sql: Client;
  let token = '';
  const dir = tempDir('anchorage-crash-');
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    env = await isolatedPlatform('revocation_crash');
    p = env.p;
    sql = new Client({ connectionString: env.options.databaseUrl });
    await sql.connect();
    token = createTokenWithCli(env.options.databaseUrl, 'crash-test');
  }, 120_000);
  afterAll(async () => {
    for (const a of apis) await a.stop();
    await sql?.end();
    await env?.close();
  });

  const startApi = async () => {
    const a = await startApiProcess(platformEnv(env.options));
    apis.push(a);
    return a;
  };
  const unpublished = async () => Number((await sql.query('SELECT count(*) AS n FROM certificate WHERE NOT revocation_published')).rows[0].n);
  const revokedSerials = async (caId: string) =>
    (await sql.query<{ serial: Buffer }>("SELECT serial FROM certificate WHERE issuer_id = $1 AND status = 'revoked'", [caId])).rows.map((r) => r.serial);
  const revoke = (api: ApiProcess, id: string) =>
    fetch(`${api.url}/api/v1/certificates/${id}/revoke`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'keyCompromise' }),
    });

  /**
   * Revokes `certs` through `api`, 12 at a time, and SIGKILLs the process as soon as the database
   * shows a revocation on no CRL. Resolves with the number still unpublished after the kill.
   */
  async function burstAndKill(api: ApiProcess, certs: CertificateRecord[]): Promise<number> {
    let next = 0;
    let killed = false;
    const senders = Array.from({ length: 12 }, async () => {
      while (!killed && next < certs.length) {
        const c = certs[next++];
        await revoke(api, c.id).then((r) => r.arrayBuffer(), () => undefined);
      }
    });
    while (!killed && next < certs.length) {
      if (next > 8 && (await unpublished()) > 0) {
        api.proc.kill('SIGKILL');
        killed = true;
      }
    }
    if (!killed) api.proc.kill('SIGKILL');
    await Promise.all(senders);
    await new Promise<void>((r) => (api.proc.exitCode !== null || api.proc.signalCode !== null ? r() : api.proc.once('exit', () => r())));
    return unpublished();
  }

  /** Kills an API mid-burst until a kill lands between a commit and its CRL (almost always the first time). */
  async function crashWithUnpublished(certs: CertificateRecord[]): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const api = await startApi();
      const slice = certs.filter((_, i) => i % 4 === attempt);
      if ((await burstAndKill(api, slice)) > 0) return;
    }
    throw new Error('no kill landed between a revocation commit and its CRL in four bursts');
  }

  const expectServedCrlComplete = async (api: ApiProcess, issuer: { id: string; certificateDer: Uint8Array | null }) => {
    const der = new Uint8Array(await (await fetch(`${api.url}/pki/crl/${issuer.id}.crl`)).arrayBuffer());
    const serials = await revokedSerials(issuer.id);
    expect(serials.length).toBeGreaterThan(0);
    for (const s of serials) expect(hasSerial(der, s)).toBe(true);
    writeFileSync(join(dir, 'served.crl'), der);
    const v = openssl(['crl', '-inform', 'DER', '-in', join(dir, 'served.crl'), '-CAfile', writePem(dir, 'issuing.pem', [issuer.certificateDer!]), '-verify', '-noout', '-text']);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
    expect(v.stdout.match(/Serial Number:/g)).toHaveLength(serials.length);
    return der;
  };

  it('the worker sweep publishes them within one sweep interval', async () => {
    const c = await testCommunity(p, 'Crash');
    const { certs } = await organizationWithCertificates(p, c.community.id, 160);
    const w: RunningWorker = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: SWEEP_SECONDS, prefix: `t-${randomUUID()}`, relayPollMs: 200 });
    try {
      const before = (await p.db.crls.latest(c.issuing.id, false))!;
      await crashWithUnpublished(certs);
      const committed = await revokedSerials(c.issuing.id);
      // The CRL is a day from lapsing, so only the unpublished revocations make the sweep regenerate it.
      await eventually('every committed revocation on a CRL', async () => (await unpublished()) === 0, (SWEEP_SECONDS + 6) * 1000);
      const latest = (await p.db.crls.latest(c.issuing.id, true))!;
      expect(latest.crlNumber).toBeGreaterThan(before.crlNumber);
      for (const s of committed) expect(hasSerial(latest.der!, s)).toBe(true);
      // what relying parties fetch, from a fresh API process
      const api = await startApi();
      await expectServedCrlComplete(api, c.issuing);
    } finally {
      await w.queue.obliterate({ force: true }).catch(() => undefined);
      await w.close();
    }
  });

  it('the next API process publishes them at start, and retries answer success or already-revoked, never an error', async () => {
    const c = await testCommunity(p, 'Crash2');
    const { certs } = await organizationWithCertificates(p, c.community.id, 160);
    await crashWithUnpublished(certs);
    const pendingSerials = (await sql.query<{ serial: Buffer }>('SELECT serial FROM certificate WHERE NOT revocation_published')).rows.map((r) => r.serial);
    expect(pendingSerials.length).toBeGreaterThan(0);
    const api = await startApi();
    await eventually('the new process to publish the pending revocations', async () => (await unpublished()) === 0, 30_000);
    const der = await expectServedCrlComplete(api, c.issuing);
    for (const s of pendingSerials) expect(hasSerial(der, s)).toBe(true);
    // every certificate of the bursts, retried: committed ones answer already-revoked, the rest are revoked now
    const statuses = new Set<number>();
    for (const cert of certs) statuses.add((await revoke(api, cert.id)).status);
    expect([...statuses].every((s) => s === 200 || s === 409)).toBe(true);
    const after = await expectServedCrlComplete(api, c.issuing);
    expect(readCrlInfo(after).crlNumber!).toBeGreaterThan(readCrlInfo(der).crlNumber!);
    expect(await revokedSerials(c.issuing.id)).toHaveLength(certs.length);
  });
});
