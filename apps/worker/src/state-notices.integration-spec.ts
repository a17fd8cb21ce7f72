import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  approveCertificateRequest, approveOrganization, createOrganization, createUser, deliverStateNotice, reinstateOrganization, rejectCertificateRequest, rejectOrganization,
  setOrganizationWebhook, submitCertificateRequest, submitOrganizationProfile, suspendOrganization, verifyWebhookSignature, type CreatedCommunity,
} from '@anchorage/authority';
import { FakeClock, opensslCsr, SmtpReceiver, tempDir, testRedisUrl } from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

interface Hook { id: string; event: string; body: Record<string, unknown>; valid: boolean }

// The state changes people wait for, told once each through the outbox and a real worker: operators by
// e-mail when a request or a profile waits for them, the member's admins by e-mail and the member's
// signed webhook when it is decided. A change that rolls back tells nobody.
describe('state notices: e-mail and webhook once per change people wait for', () => {
  const clock = new FakeClock(new Date());
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let smtp: SmtpReceiver;
  let hookServer: Server;
  let hookUrl = '';
  let secret = '';
  const hooks: Hook[] = [];
  let worker: RunningWorker;
  let c: CreatedCommunity;
  const operatorEmail = `ops-${randomUUID().slice(0, 8)}@example.org`;

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        hooks.push({
          id: String(req.headers['x-anchorage-delivery']), event: String(req.headers['x-anchorage-event']), body: JSON.parse(body) as Record<string, unknown>,
          valid: verifyWebhookSignature(secret, String(req.headers['x-anchorage-signature']), body, Math.floor(clock.now().getTime() / 1000)),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/events`;
    env = await isolatedPlatform('state_notices', clock, { smtpUrl: smtp.url, endpointCheckInsecure: true, consoleUrl: 'https://console.example.org' });
    c = await testCommunity(env.p, 'StateNotices');
    await createUser(env.p, { email: operatorEmail, displayName: 'Operator', role: 'operator', password: 'state notices password 1', communities: [c.community.id] }, OPERATOR);
    worker = await startWorker(env.p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 100, backoffMs: 300, caNoticeDays: [] });
  });
  afterAll(async () => {
    await worker?.close();
    await worker?.queue.obliterate({ force: true }).catch(() => undefined);
    await env?.close();
    await smtp?.close();
    await new Promise<void>((r) => hookServer.close(() => r()));
  });

  const mailsTo = (to: string) => smtp.messages.filter((m) => m.to.includes(to));
  const settled = (organizationId: string, n: number) => eventually(`${n} delivered notices`, async () => {
    const all = await env.p.db.stateNotices.ofOrganization(organizationId);
    return all.length === n && all.every((x) => x.emailSentAt || x.lastError) ? all : null;
  });

  it('tells operators of a waiting request, the member of its decision, and each only once', async () => {
    const p = env.p;
    const host = `s-${randomUUID().slice(0, 8)}.example.org`;
    const uri = (x: string) => `https://${host}/${x}`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'State Clinic', sanUris: [uri('a'), uri('b')] }, OPERATOR);
    const admin = `admin-${host}@example.org`;
    await createUser(p, { email: admin, displayName: 'Admin', role: 'member-admin', password: 'state notices password 2', organizationId: org.id }, OPERATOR);
    secret = (await setOrganizationWebhook(p, org, hookUrl, OPERATOR)).secret;
    const member = { id: 'member', role: 'member-admin' as const, organizationId: org.id };
    const csr = (u: string) => opensslCsr(tempDir(), { curve: 'P-256', sans: [u] }).csrPem;

    const first = (await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: csr(uri('a')) }, member)).request;
    const second = (await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: csr(uri('b')) }, member)).request;
    // decided only after the operators heard of both (one heard of after its decision is not sent: see the last test)
    await eventually('two operator e-mails', async () => mailsTo(operatorEmail).length >= 2);
    const issued = await approveCertificateRequest(p, first, OPERATOR);
    await rejectCertificateRequest(p, second, 'the key is not the one your registration named', OPERATOR);

    const notices = await settled(org.id, 4);
    expect(notices.map((n) => n.event).sort()).toEqual(['certificate-request.issued', 'certificate-request.rejected', 'certificate-request.submitted', 'certificate-request.submitted']);
    // operators: one e-mail per waiting request, with the link to review it
    const toOps = mailsTo(operatorEmail);
    expect(toOps).toHaveLength(2);
    expect(toOps.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/State Clinic requests a udap-client certificate for https:\/\/.*\/a/)]));
    expect(toOps.map((m) => m.text).join('\n')).toContain(`https://console.example.org/#/certificate-requests/${first.id}/show`);
    // the member: approved-and-issued with the certificate's link, and the rejection with its reason
    const toMember = mailsTo(admin);
    expect(toMember.map((m) => m.subject).sort()).toEqual([expect.stringMatching(/^Your request for a udap-client certificate .* was rejected$/), expect.stringMatching(/^Your request was approved: udap-client certificate .* issued$/)]);
    expect(toMember.map((m) => m.text).join('\n')).toContain(`/#/certificates/${issued.certificate.id}/show`);
    expect(toMember.map((m) => m.text).join('\n')).toContain('the key is not the one your registration named');
    // the member's webhook: the two decisions, signed, with the certificate id
    await eventually('two webhook deliveries', async () => hooks.length >= 2);
    expect(hooks.every((h) => h.valid)).toBe(true);
    expect(hooks.map((h) => h.event).sort()).toEqual(['certificate-request.issued', 'certificate-request.rejected']);
    expect(hooks.find((h) => h.event === 'certificate-request.issued')!.body).toMatchObject({ certificateId: issued.certificate.id, subject: { type: 'certificate-request', id: first.id } });
    expect(new Set(hooks.map((h) => h.id))).toEqual(new Set(notices.filter((n) => n.audience === 'member').map((n) => n.id)));

    // delivering again (a retried job) sends nothing twice, once the deliveries are recorded (a webhook's
    // after its receiver answered: the receiver can have it a moment before the record exists)
    await eventually('the webhook deliveries recorded', async () => (await p.db.stateNotices.ofOrganization(org.id))
      .filter((x) => x.audience === 'member').every((x) => x.webhookDeliveredAt !== null));
    const before = smtp.messages.length;
    for (const n of notices) expect(await deliverStateNotice(p, n.id)).toEqual({ email: 'already-sent', webhook: n.audience === 'member' ? 'already-delivered' : 'none' });
    expect(smtp.messages.length).toBe(before);
    expect(hooks).toHaveLength(2);
  });

  it('tells the member of its organization review, suspension and reinstatement; nothing for a change that rolled back', async () => {
    const p = env.p;
    const host = `o-${randomUUID().slice(0, 8)}.example.org`;
    const org = await p.db.organizations.create({ id: randomUUID(), communityId: c.community.id, name: 'Review Clinic', status: 'draft' });
    const admin = `admin-${host}@example.org`;
    await createUser(p, { email: admin, displayName: 'Admin', role: 'member-admin', password: 'state notices password 3', organizationId: org.id }, OPERATOR);
    const member = { id: 'member', role: 'member-admin' as const, organizationId: org.id };
    const profile = {
      legalName: 'Review Clinic LLC', identifiers: [{ type: 'NPI', value: '1234567893' }], address: { lines: ['1 Main St'], city: 'Springfield', country: 'US' },
      technicalContact: { name: 'Tech', email: admin }, securityContact: { name: 'Sec', email: admin }, requestedSanUris: [`https://${host}/fhir`],
    };
    // each submission is reviewed only after the operators heard of it (one heard of after its review is not sent: see below)
    const heard = (n: number) => eventually(`operator e-mail ${n}`, async () => mailsTo(operatorEmail).filter((m) => /Review Clinic submitted its profile/.test(m.subject)).length >= n);
    const submitted = await submitOrganizationProfile(p, org, profile, member);
    await heard(1);
    const rejected = await rejectOrganization(p, submitted, 'the legal name does not match the registry', OPERATOR);
    const again = await submitOrganizationProfile(p, rejected, profile, member);
    await heard(2);
    // an approval of a revision nobody reviewed is refused and rolls back: no notice
    await expect(approveOrganization(p, again, again.profileRevision - 1, OPERATOR)).rejects.toThrow();
    const active = await approveOrganization(p, again, again.profileRevision, OPERATOR);
    const suspended = await suspendOrganization(p, active, 'an unpaid membership fee', OPERATOR, { revokeCertificates: false });
    await reinstateOrganization(p, suspended, OPERATOR);

    const notices = await settled(org.id, 6);
    expect(notices.map((n) => n.event).reverse()).toEqual([
      'organization.submitted', 'organization.rejected', 'organization.submitted', 'organization.approved', 'organization.suspended', 'organization.reinstated',
    ]);
    expect(mailsTo(operatorEmail).filter((m) => /Review Clinic submitted its profile/.test(m.subject))).toHaveLength(2);
    const subjects = mailsTo(admin).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining([
      'Review Clinic was not approved', 'Review Clinic LLC is approved', 'Review Clinic LLC is suspended', 'Review Clinic LLC is reinstated',
    ]));
    expect(subjects).toHaveLength(4);
    const suspension = mailsTo(admin).find((m) => /suspended/.test(m.subject))!;
    expect(suspension.text).toContain('an unpaid membership fee');
    expect(suspension.text).toContain('Its certificates stay valid.');
  });

  it('does not tell operators of a request that no longer waits when its notice is delivered', async () => {
    const p = env.p;
    const host = `w-${randomUUID().slice(0, 8)}.example.org`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Quick Clinic', sanUris: [`https://${host}/a`] }, OPERATOR);
    const member = { id: 'member', role: 'member-admin' as const, organizationId: org.id };
    await worker.close(); // decided before any worker runs, as an auto-approval is
    try {
      const r = (await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(tempDir(), { curve: 'P-256', sans: [`https://${host}/a`] }).csrPem }, member)).request;
      await approveCertificateRequest(p, r, OPERATOR);
    } finally {
      worker = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 100, backoffMs: 300, caNoticeDays: [] });
    }
    const notices = await settled(org.id, 2);
    const waiting = notices.find((n) => n.event === 'certificate-request.submitted')!;
    expect(waiting.emailSentAt).toBeNull();
    expect(waiting.lastError).toBe('not sent: the request is issued already');
    expect(mailsTo(operatorEmail).filter((m) => /Quick Clinic/.test(m.subject))).toHaveLength(0);
  });
});
