import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import {
  issueCertificate, pauseRevocationSubscription, resumeRevocationSubscription, revokeCertificate, subscribeToRevocations, suspendOrganization, unsubscribeFromRevocations, verifyWebhookSignature, type CreatedCommunity, type Platform, type RevocationNoticeBody,
} from '@anchorage/authority';
import { REVOCATION_NOTICE_JOB_PREFIX, REVOCATION_NOTICES_QUEUE } from '@anchorage/jobs';
import { openssl, opensslCsr, tempDir, testRedisUrl } from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR, organizationWithCertificates, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

/** One request the receiver got. */
interface Received { path: string; id: string; event: string; signature: string; body: string; at: number; status: number }

// Relying-party revocation notices through the real path: the revocation commits its CRL with the
// notice, its deliveries and their jobs (outbox); the worker's relay moves them into BullMQ; the
// worker posts each to a real local HTTP receiver (the outbound guard's insecure test mode allows
// loopback), signed, with the delivery id as the receiver's deduplication key.
describe('relying-party revocation notices (PostgreSQL, Redis, BullMQ worker)', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let worker: RunningWorker;
  let receiver: Server;
  let base = '';
  const received: Received[] = [];
  /** Ids the receiver processed (a receiver's own deduplication, as docs/revocation-notices.md tells it). */
  const accepted = new Map<string, number>();
  const secrets = new Map<string, string>();
  const prefix = `t-${randomUUID()}`;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        const id = String(req.headers['x-anchorage-delivery']);
        // /flaky/... refuses the first attempt of every notice
        const status = path.startsWith('/flaky/') && !received.some((r) => r.id === id) ? 500 : 200;
        received.push({ path, id, event: String(req.headers['x-anchorage-event']), signature: String(req.headers['x-anchorage-signature']), body, at: Date.now(), status });
        if (status === 200) accepted.set(id, (accepted.get(id) ?? 0) + (accepted.has(id) ? 0 : 1));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    env = await isolatedPlatform('revocation_notices', undefined, { endpointCheckInsecure: true });
    p = env.p;
    // relayPollMs is long on purpose: the notice must come through the outbox NOTIFY, not a poll
    worker = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix, relayPollMs: 5000, backoffMs: 300, caNoticeDays: [] });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await worker?.queues.get(REVOCATION_NOTICES_QUEUE)?.obliterate({ force: true }).catch(() => undefined);
    await env?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });

  const subscribe = async (c: CreatedCommunity, path: string) => {
    const s = await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: `${base}${path}`, relyingParty: `RP ${path}` }, OPERATOR);
    secrets.set(path, s.secret);
    return s;
  };
  const at = (path: string) => received.filter((r) => r.path === path);
  const issue = async (c: CreatedCommunity) => {
    const { org } = await organizationWithCertificates(p, c.community.id, 0);
    const csr = opensslCsr(tempDir(), { curve: 'P-256', sans: org.sanUris });
    return (await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem, validityDays: 30 }, OPERATOR)).certificate;
  };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  /** The serials `openssl crl -text` lists in the CA's CRL as served now. */
  const servedSerials = (caId: string) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.crl'), p.repository.crl(caId)!.body);
    const out = openssl(['crl', '-inform', 'DER', '-in', join(dir, 'c.crl'), '-noout', '-text']);
    expect(out.status).toBe(0);
    return { text: out.stdout, serials: [...out.stdout.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1].toLowerCase()) };
  };

  it('tells a subscribed receiver of a revocation within a second, signed, with the CRL number and the serial openssl reads in the CRL', async () => {
    const c = await testCommunity(p, 'NoticeFast');
    await subscribe(c, '/fast/a');
    const cert = await issue(c);
    const revoked = await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, OPERATOR);
    const returned = Date.now();
    const [got] = await eventually('the notice at the receiver', async () => (at('/fast/a').length ? at('/fast/a') : null), 10_000);
    const latencyMs = Math.max(0, got.at - returned);
    console.log(`revocation notice reached the local receiver ${latencyMs} ms after the revocation call returned`);
    expect(latencyMs).toBeLessThan(5000);

    const body = JSON.parse(got.body) as RevocationNoticeBody;
    expect(verifyWebhookSignature(secrets.get('/fast/a')!, got.signature, got.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhookSignature('rnsec_wrong', got.signature, got.body, Math.floor(Date.now() / 1000))).toBe(false);
    expect(verifyWebhookSignature(secrets.get('/fast/a')!, got.signature, got.body.replace('keyCompromise', 'superseded'), Math.floor(Date.now() / 1000))).toBe(false);
    expect(got.event).toBe('crl.published');
    expect(body).toMatchObject({
      type: 'crl.published', id: got.id, community: { id: c.community.id, uri: c.community.uri }, ca: { id: c.issuing.id, issuer: c.issuing.subject },
      crlNumber: revoked.crl.crlNumber.toString(), previousCrlNumber: (revoked.crl.crlNumber - 1n).toString(),
      thisUpdate: revoked.crl.thisUpdate.toISOString(), nextUpdate: revoked.crl.nextUpdate.toISOString(),
      crlUrl: p.urls.crl(c.issuing.id), serialsAddedCount: 1, serialsTruncated: false, serialsReleased: [],
    });
    expect(body.serialsAdded).toEqual([{ serial: hex(cert.serial), reason: 'keyCompromise', revokedAt: revoked.certificate.revokedAt!.toISOString() }]);
    // the CRL as served, read by OpenSSL: the same number and the serial
    const crl = servedSerials(c.issuing.id);
    expect(crl.serials).toContain(hex(cert.serial));
    expect(crl.text).toMatch(new RegExp(`X509v3 CRL Number: \\s*\\n\\s*${body.crlNumber}\\b`));
    // the job id is the delivery id's: BullMQ holds it once, however often the relay adds it
    const job = (await worker.queues.get(REVOCATION_NOTICES_QUEUE)!.getJob(`${REVOCATION_NOTICE_JOB_PREFIX}${got.id}`))!;
    expect(job.data).toEqual({ deliveryId: got.id });
    const delivery = await eventually('the delivery recorded', async () => {
      const d = await p.db.revocationSubscriptions.findDelivery(got.id);
      return d?.status === 'delivered' ? d : null;
    });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastError: null, crlNumber: revoked.crl.crlNumber, serialCount: 1 });
  });

  it('retries a refused notice with the same id, so the receiver processes it once', async () => {
    const c = await testCommunity(p, 'NoticeFlaky');
    const s = await subscribe(c, '/flaky/b');
    const cert = await issue(c);
    await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'superseded' }, OPERATOR);
    await eventually('the retried notice accepted', async () => at('/flaky/b').some((r) => r.status === 200), 15_000);
    const calls = at('/flaky/b');
    expect(calls.map((r) => r.status)).toEqual([500, 200]);
    expect(calls[0].id).toBe(calls[1].id);
    expect(JSON.parse(calls[0].body).id).toBe(calls[0].id);
    expect(calls[0].body).toBe(calls[1].body);
    expect(accepted.get(calls[0].id)).toBe(1);
    for (const r of calls) expect(verifyWebhookSignature(secrets.get('/flaky/b')!, r.signature, r.body, Math.floor(Date.now() / 1000))).toBe(true);
    const delivery = await eventually('the delivery recorded', async () => {
      const d = await p.db.revocationSubscriptions.findDelivery(calls[0].id);
      return d?.status === 'delivered' ? d : null;
    });
    expect(delivery.attempts).toBe(2);
    expect(await p.db.revocationSubscriptions.find(s.subscription.id)).toMatchObject({ status: 'active', consecutiveFailures: 0, totalFailures: 1, lastError: 'http-status' });
  });

  it('gives two revocations two notices with increasing CRL numbers, each naming the previous one', async () => {
    const c = await testCommunity(p, 'NoticeTwo');
    await subscribe(c, '/two/c');
    const [a, b] = [await issue(c), await issue(c)];
    const first = await revokeCertificate(p, { certificate: { certificateId: a.id }, reason: 'keyCompromise' }, OPERATOR);
    const second = await revokeCertificate(p, { certificate: { certificateId: b.id }, reason: 'cessationOfOperation' }, OPERATOR);
    await eventually('two notices', async () => at('/two/c').length >= 2, 10_000);
    const bodies = at('/two/c').map((r) => JSON.parse(r.body) as RevocationNoticeBody).sort((x, y) => Number(x.crlNumber) - Number(y.crlNumber));
    expect(bodies.map((x) => x.crlNumber)).toEqual([first.crl.crlNumber.toString(), second.crl.crlNumber.toString()]);
    expect(BigInt(bodies[1].crlNumber)).toBeGreaterThan(BigInt(bodies[0].crlNumber));
    expect(bodies[1].previousCrlNumber).toBe(bodies[0].crlNumber);
    expect(bodies.map((x) => x.serialsAdded.map((s) => [s.serial, s.reason]))).toEqual([[[hex(a.serial), 'keyCompromise']], [[hex(b.serial), 'cessationOfOperation']]]);
    expect(new Set(bodies.map((x) => x.id)).size).toBe(2);
  });

  it('lists every serial of a bulk revocation', async () => {
    const c = await testCommunity(p, 'NoticeBulk');
    await subscribe(c, '/bulk/d');
    const { org, certs } = await organizationWithCertificates(p, c.community.id, 7, 4);
    await suspendOrganization(p, org, 'bulk notice test', OPERATOR);
    const notices = await eventually('the bulk revocation notice', async () => {
      const bodies = at('/bulk/d').map((r) => JSON.parse(r.body) as RevocationNoticeBody);
      const listed = bodies.flatMap((x) => x.serialsAdded.map((s) => s.serial));
      return listed.length >= certs.length ? bodies : null;
    }, 30_000);
    const listed = notices.flatMap((x) => x.serialsAdded);
    expect(listed.map((s) => s.serial).sort()).toEqual(certs.map((x) => hex(x.serial)).sort());
    expect(new Set(listed.map((s) => s.reason))).toEqual(new Set(['privilegeWithdrawn']));
    const crl = servedSerials(c.issuing.id);
    for (const x of certs) expect(crl.serials).toContain(hex(x.serial));
  });

  it('records nothing for a paused subscription, and a cancelled one gets no more notices', async () => {
    const c = await testCommunity(p, 'NoticePaused');
    const s = await subscribe(c, '/paused/e');
    await pauseRevocationSubscription(p, s.subscription.id, OPERATOR);
    const cert = await issue(c);
    const r1 = await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, OPERATOR);
    await resumeRevocationSubscription(p, s.subscription.id, OPERATOR);
    const cert2 = await issue(c);
    const r2 = await revokeCertificate(p, { certificate: { certificateId: cert2.id }, reason: 'keyCompromise' }, OPERATOR);
    await eventually('the notice after resuming', async () => at('/paused/e').length >= 1, 10_000);
    await unsubscribeFromRevocations(p, s.subscription.id, OPERATOR);
    const cert3 = await issue(c);
    await revokeCertificate(p, { certificate: { certificateId: cert3.id }, reason: 'keyCompromise' }, OPERATOR);
    await new Promise((r) => setTimeout(r, 1500));
    const bodies = at('/paused/e').map((r) => JSON.parse(r.body) as RevocationNoticeBody);
    // the receiver tells the gap: previousCrlNumber names the CRL it was not told about
    expect(bodies.map((x) => [x.crlNumber, x.previousCrlNumber])).toEqual([[r2.crl.crlNumber.toString(), r1.crl.crlNumber.toString()]]);
    expect((await p.db.revocationSubscriptions.listDeliveries(s.subscription.id)).total).toBe(1);
  });
});

// A crash between the CRL's commit and the job reaching Redis: nothing but the database holds the
// notice (the API never talks to Redis), and the worker started afterwards delivers it.
describe('a revocation notice survives a crash before its job reached Redis (outbox)', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let receiver: Server;
  let worker: RunningWorker | null = null;
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    env = await isolatedPlatform('revocation_notices_crash', undefined, { endpointCheckInsecure: true });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await worker?.queues.get(REVOCATION_NOTICES_QUEUE)?.obliterate({ force: true }).catch(() => undefined);
    await env?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });

  it('delivers from the outbox once a worker runs', async () => {
    const p = env.p;
    const c = await testCommunity(p, 'NoticeCrash');
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/crash`;
    await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: url, relyingParty: 'Crash RP' }, OPERATOR);
    const { certs } = await organizationWithCertificates(p, c.community.id, 1);
    const revoked = await revokeCertificate(p, { certificate: { certificateId: certs[0].id }, reason: 'keyCompromise' }, OPERATOR);
    // the state a crash right after the commit leaves: the delivery and its job only in PostgreSQL
    const sql = new Client({ connectionString: env.options.databaseUrl });
    await sql.connect();
    try {
      const rows = (await sql.query<{ job_id: string; relayed_at: Date | null }>('SELECT job_id, relayed_at FROM outbox WHERE job_id LIKE $1', [`${REVOCATION_NOTICE_JOB_PREFIX}%`])).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0].relayed_at).toBeNull();
      const [d] = (await sql.query<{ id: string; status: string }>('SELECT id, status FROM revocation_delivery')).rows;
      expect(rows[0].job_id).toBe(`${REVOCATION_NOTICE_JOB_PREFIX}${d.id}`);
      expect(d.status).toBe('pending');
      expect(bodies).toHaveLength(0);

      worker = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 200, caNoticeDays: [] });
      await eventually('the notice delivered after the restart', async () => bodies.length > 0, 15_000);
      const body = JSON.parse(bodies[0]) as RevocationNoticeBody;
      expect(body).toMatchObject({ id: d.id, crlNumber: revoked.crl.crlNumber.toString(), serialsAdded: [{ serial: Buffer.from(certs[0].serial).toString('hex') }] });
      await eventually('the outbox row completed', async () => (await sql.query('SELECT 1 FROM outbox WHERE job_id = $1 AND completed_at IS NOT NULL', [rows[0].job_id])).rowCount === 1);
    } finally {
      await sql.end();
    }
  });
});
