import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  createOrganization, createUser, issueCertificate, openPlatform, scanExpiry, setOrganizationWebhook, verifyWebhookSignature, type CreatedCommunity, type Platform,
} from '@anchorage/authority';
import { FakeClock, opensslCsr, SmtpReceiver, tempDir, testRedisUrl } from '@anchorage/testing';
import { WORKER_ACTOR } from './processors';
import { eventually, isolatedPlatform, OPERATOR, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

interface Delivery { id: string; event: string; body: string; valid: boolean; status: number }

// Expiry notices with two worker replicas on one database: a real SMTP receiver, a webhook receiver
// that refuses the first delivery, and an injected clock that walks a certificate through its
// thresholds to expiry.
describe('expiry notices: e-mail and signed webhook, once per certificate and threshold', () => {
  const clock = new FakeClock(new Date());
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let second: Platform;
  let smtp: SmtpReceiver;
  let hookServer: Server;
  let hookUrl: string;
  let secret = '';
  const deliveries: Delivery[] = [];
  const workers: RunningWorker[] = [];
  let c: CreatedCommunity;

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const status = deliveries.length === 0 ? 500 : 204; // the first delivery fails: it must be retried
        deliveries.push({
          id: String(req.headers['x-anchorage-delivery']), event: String(req.headers['x-anchorage-event']), body, status,
          valid: verifyWebhookSignature(secret, String(req.headers['x-anchorage-signature']), body, Math.floor(clock.now().getTime() / 1000)),
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/anchorage`;
    const extra = { smtpUrl: smtp.url, endpointCheckInsecure: true, consoleUrl: 'https://console.example.org' };
    env = await isolatedPlatform('expiry_notices', clock, extra);
    second = await openPlatform({ ...env.options, publishDir: tempDir(), clock });
    c = await testCommunity(env.p, 'Notices');
    const prefix = `t-${randomUUID()}`;
    for (const p of [env.p, second]) {
      workers.push(await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix, relayPollMs: 100, backoffMs: 300, caNoticeDays: [] }));
    }
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await workers[0]?.queue.obliterate({ force: true }).catch(() => undefined);
    await second?.close();
    await env?.close();
    await smtp?.close();
    await new Promise<void>((r) => hookServer.close(() => r()));
  });

  it('notifies once at each threshold, retries only the webhook, skips renewed certificates, and marks expired ones', async () => {
    const p = env.p;
    const host = `n-${randomUUID().slice(0, 8)}.example.org`;
    const san = (x: string) => `https://${host}/${x}`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Notice Clinic', sanUris: [san('a'), san('b'), san('c')] }, OPERATOR);
    await createUser(p, { email: `admin-${host}@example.org`, displayName: 'Admin', role: 'member-admin', password: 'notices password 1', organizationId: org.id }, OPERATOR);
    secret = (await setOrganizationWebhook(p, org, hookUrl, OPERATOR)).secret;
    const issue = async (uri: string, days: number) => (await issueCertificate(p, {
      organizationId: org.id, profile: 'udap-client', csr: opensslCsr(tempDir(), { curve: 'P-256', sans: [uri] }).csrPem, validityDays: days,
    }, OPERATOR)).certificate;
    const soon = await issue(san('a'), 10);
    const later = await issue(san('b'), 40); // not due yet
    const replaced = await issue(san('c'), 5);
    await issue(san('c'), 60); // its renewal: no notice for the old one

    // both replicas scan at once, three times over: one notice
    for (let i = 0; i < 3; i++) await Promise.all([scanExpiry(p, { caNoticeDays: [] }, WORKER_ACTOR), scanExpiry(second, { caNoticeDays: [] }, WORKER_ACTOR)]);
    const first = await p.db.notices.list({ organizationId: org.id });
    expect(first.items.map((n) => [n.certificateId, n.thresholdDays])).toEqual([[soon.id, 14]]);
    expect(first.items.some((n) => n.certificateId === replaced.id)).toBe(false);

    const notice = await eventually('the first notice to be e-mailed and its webhook delivered', async () => {
      const n = (await p.db.notices.find(first.items[0].id))!;
      return n.emailSentAt && n.webhookDeliveredAt ? n : null;
    });
    expect(notice).toMatchObject({ emailTo: [`admin-${host}@example.org`], webhookAttempts: 2, webhookUrl: hookUrl, lastError: null });
    const mails = () => smtp.messages.filter((m) => m.to.includes(`admin-${host}@example.org`));
    expect(mails()).toHaveLength(1);
    expect(mails()[0].subject).toMatch(/expires in 10 days/);
    expect(mails()[0].text).toContain(Buffer.from(soon.serial).toString('hex'));
    expect(mails()[0].raw).toContain(`<expiry-${notice.id}@anchorage.invalid>`);
    // the webhook: refused once, retried, accepted; the same delivery id, signed both times
    expect(deliveries.map((d) => [d.id, d.status, d.valid, d.event])).toEqual([[notice.id, 500, true, 'certificate.expiring'], [notice.id, 204, true, 'certificate.expiring']]);
    expect(JSON.parse(deliveries[1].body)).toMatchObject({ type: 'certificate.expiring', noticeId: notice.id, thresholdDays: 14, certificate: { id: soon.id, sanUris: [san('a')] } });
    expect(verifyWebhookSignature('another secret', `t=1,v1=${'0'.repeat(64)}`, deliveries[1].body, 1)).toBe(false);

    // four days later the 7-day threshold applies: one more notice, one more mail
    clock.advance(4 * 86_400_000);
    await Promise.all([scanExpiry(p, { caNoticeDays: [] }, WORKER_ACTOR), scanExpiry(second, { caNoticeDays: [] }, WORKER_ACTOR)]);
    await eventually('the 7-day mail', async () => mails().length === 2);
    expect(mails()[1].subject).toMatch(/expires in 6 days/);
    expect((await p.db.notices.list({ organizationId: org.id })).items.map((n) => n.thresholdDays).sort((a, b) => a - b)).toEqual([7, 14]);

    // past notAfter: marked expired (the replaced one too), no notice for an expired certificate; the
    // 40-day certificate now has 29 days left: its 30-day notice
    clock.advance(7 * 86_400_000);
    const out = await scanExpiry(p, { caNoticeDays: [] }, WORKER_ACTOR);
    expect(out.expired.sort()).toEqual([soon.id, replaced.id].sort());
    expect((await p.db.certificates.find(soon.id))!).toMatchObject({ status: 'issued', expiredAt: clock.now() });
    const third = (await p.db.notices.list({ organizationId: org.id })).items.filter((n) => n.certificateId === later.id);
    expect(third.map((n) => n.thresholdDays)).toEqual([30]);
    expect(out.notices).toEqual([third[0].id]);
    await eventually('every notice delivered', async () => (await p.db.reports.metrics()).notices.pending === 0);
    expect((await p.db.reports.metrics()).notices).toEqual({ emailed: 3, webhooks: 3, pending: 0 });
    expect(deliveries).toHaveLength(4);
    expect(mails()).toHaveLength(3);
  });

  it('warns operators before a CA expires', async () => {
    await createUser(env.p, { email: `ops-${randomUUID().slice(0, 8)}@example.org`, displayName: 'Ops', role: 'operator', password: 'notices password 2', communities: [c.community.id] }, OPERATOR);
    const issuing = (await env.p.db.cas.find(c.issuing.id))!;
    const daysLeft = Math.ceil((issuing.notAfter!.getTime() - clock.now().getTime()) / 86_400_000);
    const out = await scanExpiry(env.p, { caNoticeDays: [daysLeft + 1] }, WORKER_ACTOR);
    const caNotices = (await env.p.db.notices.list({ subjectType: 'ca' })).items;
    expect(caNotices.map((n) => n.caId)).toContain(c.issuing.id);
    expect(out.notices.length).toBe(caNotices.length);
    await eventually('the CA warning mail', async () => smtp.messages.some((m) => /Issuing CA .* expires in/.test(m.subject)));
  });
});
