import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createCommunity, createOrganization, createUser, issueWithGeneratedKey, revokeCertificate, setOrganizationWebhook, verifyWebhookSignature,
  type CreatedCommunity,
} from '@anchorage/authority';
import {
  loopbackTls, openssl, signedMetadataJwt, SmtpReceiver, startLoopbackHttps, tempDir, testRedisUrl, udapMetadata, type LoopbackHttps,
} from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

const PASSWORD = 'conformance worker password';

// The done criterion of the monitor, through the real worker (BullMQ on Redis, the outbox relay, the
// schedule table): a member's server whose metadata is signed with a platform certificate shows
// passing; once the platform revokes that certificate, the next monitoring cycle fails it with a
// `revoked` finding and raises exactly one alert, e-mailed to the member admin and the community's
// operator and posted, signed, to the organization's webhook. The member server is a real HTTPS
// server on loopback that the platform trusts through the outbound guard's tlsCa.
describe('conformance monitor in the worker: passing, revoked, failing and alerted within one cycle', () => {
  const dir = tempDir('anchorage-conformance-worker-');
  const tag = randomUUID().slice(0, 8);
  const CYCLE_SECONDS = 3;
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let https: LoopbackHttps;
  let smtp: SmtpReceiver;
  let hooks: Server;
  let secret = '';
  const deliveries: { delivery: string; event: string; valid: boolean; body: string }[] = [];
  let worker: RunningWorker;
  let metadata = '{}';
  let c: CreatedCommunity;

  beforeAll(async () => {
    const tls = loopbackTls(dir);
    https = await startLoopbackHttps(tls, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(metadata));
    smtp = await SmtpReceiver.start();
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        deliveries.push({
          body, delivery: String(req.headers['x-anchorage-delivery']), event: String(req.headers['x-anchorage-event']),
          valid: verifyWebhookSignature(secret, String(req.headers['x-anchorage-signature']), body, Math.floor(Date.now() / 1000)),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    env = await isolatedPlatform('conformance', undefined, {
      smtpUrl: smtp.url, endpointCheckInsecure: true, consoleUrl: 'https://console.example.org', outboundTlsCa: [tls.certPem], conformanceFetch: { timeoutMs: 2000, maxBytes: 64 * 1024 },
    });
    c = await createCommunity(env.p, {
      name: `Monitor ${tag}`, uri: `udap://monitor-${tag}.example.org/`, caKeyType: 'RSA-2048', policy: { allowGeneratedKeys: true, allowedLeafKeyTypes: ['RSA-2048'] },
    }, OPERATOR);
  });
  afterAll(async () => {
    await worker?.close();
    await worker?.queue.obliterate({ force: true }).catch(() => undefined);
    await env?.close();
    await https?.close();
    await smtp?.close();
    hooks?.closeAllConnections();
    await new Promise<void>((r) => (hooks ? hooks.close(() => r()) : r()));
  });

  it('passes, then fails with `revoked` one cycle after the revocation, alerting once by e-mail and signed webhook', async () => {
    const p = env.p;
    const baseUrl = https.url(`/fhir-${tag}/r4`);
    const org = await createOrganization(p, { communityId: c.community.id, name: `Monitored Clinic ${tag}`, sanUris: [baseUrl] }, OPERATOR);
    await createUser(p, { email: `admin-${tag}@example.org`, displayName: 'Admin', role: 'member-admin', password: 'monitor admin password', organizationId: org.id }, OPERATOR);
    await createUser(p, { email: `ops-${tag}@example.org`, displayName: 'Ops', role: 'operator', password: 'monitor ops password', communities: [c.community.id] }, OPERATOR);
    secret = (await setOrganizationWebhook(p, org, `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`, OPERATOR)).secret;
    const issued = await issueWithGeneratedKey(p, { organizationId: org.id, profile: 'udap-server', sanUris: [baseUrl], pkcs12Password: PASSWORD }, OPERATOR);
    const p12 = join(dir, 'server.p12');
    writeFileSync(p12, issued.pkcs12!);
    const keyPem = openssl(['pkcs12', '-in', p12, '-passin', `pass:${PASSWORD}`, '-nodes', '-nocerts']).stdout;
    const jwt = await signedMetadataJwt(baseUrl, { keyPem: keyPem.slice(keyPem.indexOf('-----BEGIN')), x5c: [issued.certificate.der!, c.issuing.certificateDer!] });
    metadata = JSON.stringify(udapMetadata(baseUrl, jwt));

    worker = await startWorker(p, {
      redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 100, backoffMs: 300, caNoticeDays: [],
      conformance: { scanSeconds: CYCLE_SECONDS, concurrency: 4 },
    });
    const endpoint = await eventually('the endpoint to pass (startup scan, then its check job)', async () => {
      const e = await p.db.conformance.findByUrl(c.community.id, baseUrl);
      return e?.status === 'passing' ? e : null;
    });
    expect((await p.db.conformance.checks(endpoint.id)).items[0]).toMatchObject({ status: 'passing', trigger: 'schedule', requestedBy: 'worker', signerCertificateId: issued.certificate.id });
    const checkJobs = await p.db.pool.query<{ job_id: string; completed_at: Date | null }>("SELECT job_id, completed_at FROM outbox WHERE name = 'conformance-check'");
    expect(checkJobs.rows.length).toBeGreaterThanOrEqual(1);
    expect(checkJobs.rows[0].job_id).toMatch(new RegExp(`^conformance-check\\.${endpoint.id}\\.\\d+$`));

    const revokedAt = Date.now();
    await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, OPERATOR);
    const failing = await eventually('the endpoint to fail', async () => {
      const e = (await p.db.conformance.find(endpoint.id))!;
      return e.status === 'failing' ? e : null;
    }, 20_000);
    // at the first check after the revocation: none passed in between (so within one monitoring cycle,
    // whatever the machine's load adds to the check and the relay), and well within two cycles
    const since = (await p.db.conformance.checks(endpoint.id)).items.filter((x) => x.checkedAt.getTime() >= revokedAt);
    expect(since.map((x) => x.status)).toEqual(since.map(() => 'failing'));
    expect(failing.lastCheckedAt!.getTime() - revokedAt).toBeLessThan(2 * CYCLE_SECONDS * 1000);
    const check = (await p.db.conformance.checks(endpoint.id)).items[0];
    expect(check.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'revoked', severity: 'error', depth: 0 })]));

    const delivered = await eventually('the alert to be e-mailed and its webhook delivered', async () => {
      const a = (await p.db.conformance.listAlerts({ endpointId: endpoint.id })).items[0];
      return a?.emailSentAt && a.webhookDeliveredAt ? a : null;
    });
    expect(delivered).toMatchObject({ checkId: check.id, codes: expect.arrayContaining(['revoked']), webhookAttempts: 1, lastError: null });
    expect(delivered.emailTo.sort()).toEqual([`admin-${tag}@example.org`, `ops-${tag}@example.org`].sort());
    // two more cycles: still failing, still one alert, one webhook, two mails (member admins, operators)
    const checksSoFar = (await p.db.conformance.checks(endpoint.id)).total;
    await eventually('two more checks', async () => (await p.db.conformance.checks(endpoint.id)).total >= checksSoFar + 2, 20_000);
    expect((await p.db.conformance.find(endpoint.id))!.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect((await p.db.conformance.listAlerts({ endpointId: endpoint.id })).total).toBe(1);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ delivery: delivered.id, event: 'endpoint.conformance-failing', valid: true });
    const mails = smtp.messages.filter((m) => m.subject.includes(baseUrl));
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.raw.includes(`<conformance-${delivered.id}`)).every(Boolean)).toBe(true);
    expect((await p.db.outboxRelay.find(`conformance-alert.${delivered.id}`))!.completedAt).not.toBeNull();
  });
});
