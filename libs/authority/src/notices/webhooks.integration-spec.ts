import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { opensslCsr, tempDir, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { issueCertificate } from '../issue-certificate';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { expiryNoticeView } from '../views';
import { deliverNotice } from './deliver-notice';
import { scanExpiry } from './expiry-scan';
import { setOrganizationWebhook } from './webhooks';

const operator: Actor = { id: 'test-operator', role: 'operator' };
const SECRET_BODY = 'redis_version:7.2.4 requirepass=hunter2';

// Webhooks go through the outbound guard: refused at PUT when the URL cannot be delivered in this
// deployment, and a failed delivery is recorded on the notice (which members see) as a fixed code.
// A database of its own: the expiry scan looks at every certificate of the database.
describe('organization webhooks and their delivery (PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let strict: Platform;
  let lax: Platform;
  let admin: Client;
  let hooks: Server;
  let closedPort = 0;
  const log: string[] = [];

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_webhooks`.slice(0, 63));
    const options = { ...testPlatformOptions(), databaseUrl: fresh.url, poolSize: 3 };
    strict = await openPlatform(options);
    lax = await openPlatform({ ...options, endpointCheckInsecure: true, outboundLog: (line) => log.push(line) });
    admin = new Client({ connectionString: fresh.url });
    await admin.connect();
    hooks = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(req.url === '/fail' ? 500 : 204).end(req.url === '/fail' ? SECRET_BODY : undefined));
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
    closedPort = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
  });
  afterAll(async () => {
    await admin?.end();
    await lax?.close();
    await strict?.close();
    await fresh?.drop();
    hooks?.closeAllConnections();
    await new Promise<void>((r) => (hooks ? hooks.close(() => r()) : r()));
  });

  const organization = async (p: Platform) => {
    const tag = randomUUID().slice(0, 8);
    const c = await createCommunity(p, { name: `Hooks ${tag}`, uri: `udap://hooks-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, operator);
    return createOrganization(p, { communityId: c.community.id, name: `Hook Clinic ${tag}`, sanUris: [`https://h-${tag}.example.org/fhir`] }, operator);
  };

  it('refuses at PUT a URL a production deployment would not deliver to: plain http, credentials, non-public address literals', async () => {
    const org = await organization(strict);
    const port = (hooks.address() as AddressInfo).port;
    for (const url of ['http://hooks.example.org/anchorage', `http://127.0.0.1:${port}/ok`]) {
      const err = await expectDomainError(setOrganizationWebhook(strict, org, url, operator), 'validation', /https/);
      expect(err.details).toEqual({ errors: [{ field: 'url', message: 'must be an https:// URL' }] });
    }
    for (const url of ['https://127.0.0.1/hook', 'https://[::ffff:7f00:1]:8443/hook', 'https://[::7f00:1]/hook', 'https://2130706433/hook', 'https://169.254.169.254/latest', 'https://[64:ff9b::a00:1]/']) {
      await expectDomainError(setOrganizationWebhook(strict, org, url, operator), 'validation', /non-public address/);
    }
    await expectDomainError(setOrganizationWebhook(strict, org, 'https://user:pw@hooks.example.org/', operator), 'validation', /without credentials/);
    await expectDomainError(setOrganizationWebhook(strict, org, 'not a url', operator), 'validation', /absolute https:\/\/ URL/);
    expect((await setOrganizationWebhook(strict, org, 'https://hooks.example.org/anchorage', operator)).url).toBe('https://hooks.example.org/anchorage');
    // a test or development deployment takes plain http to its own machine, never the metadata service
    expect((await setOrganizationWebhook(lax, org, `http://127.0.0.1:${port}/ok`, operator)).url).toBe(`http://127.0.0.1:${port}/ok`);
    await expectDomainError(setOrganizationWebhook(lax, org, 'http://169.254.169.254/latest/meta-data/', operator), 'validation', /non-public address/);
  });

  it('records a failed delivery as a fixed code, never with what the server or the socket said', async () => {
    const org = await organization(lax);
    const port = (hooks.address() as AddressInfo).port;
    const csr = opensslCsr(tempDir(), { curve: 'P-256', sans: org.sanUris }).csrPem;
    await issueCertificate(lax, { organizationId: org.id, profile: 'udap-client', csr, validityDays: 10 }, operator);
    const scanned = await scanExpiry(lax, { noticeDays: [14], caNoticeDays: [] }, operator);
    const noticeId = (await lax.db.notices.list({ organizationId: org.id })).items[0].id;
    expect(scanned.notices).toContain(noticeId);
    const notice = async () => (await lax.db.notices.find(noticeId))!;

    await setOrganizationWebhook(lax, org, `http://127.0.0.1:${port}/fail`, operator);
    const refused = await expectDomainError(deliverNotice(lax, noticeId), 'webhook-failed', /HTTP 500/);
    expect(refused.message).not.toContain('hunter2');
    expect((await notice()).lastError).toBe('http-status');

    await setOrganizationWebhook(lax, org, `http://127.0.0.1:${closedPort}/gone`, operator);
    const unreachable = await expectDomainError(deliverNotice(lax, noticeId), 'webhook-failed', /connect-failed/);
    expect(unreachable.message).not.toMatch(/ECONNREFUSED/);
    expect((await notice()).lastError).toBe('connect-failed');
    expect(expiryNoticeView(await notice()).lastError).toBe('connect-failed');
    expect(log.join('\n')).toMatch(/connect-failed: POST http:\/\/127\.0\.0\.1:\d+\/gone: ECONNREFUSED/);
    expect(log.join('\n')).not.toContain('hunter2');

    // a production deployment does not deliver to a plain http URL set where it was allowed
    await setOrganizationWebhook(lax, org, `http://127.0.0.1:${port}/ok`, operator);
    await expectDomainError(deliverNotice(strict, noticeId), 'webhook-failed', /not-https/);
    expect((await notice()).lastError).toBe('not-https');

    // what older records said is not shown
    await admin.query('UPDATE expiry_notice SET last_error = $2 WHERE id = $1', [noticeId, 'connect ECONNREFUSED 10.0.0.5:6379']);
    expect(expiryNoticeView(await notice()).lastError).toBe('unknown');

    expect(await deliverNotice(lax, noticeId)).toEqual({ email: 'no-recipients', webhook: 'delivered' });
    expect((await notice()).lastError).toBeNull();
  });
});
