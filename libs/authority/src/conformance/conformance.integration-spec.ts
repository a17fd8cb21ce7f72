import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import {
  FakeClock, loopbackTls, openssl, signedMetadataJwt, SmtpReceiver, startLoopbackHttps, tempDir, testDatabaseUrl, testPlatformOptions, udapMetadata,
  type LoopbackHttps, type MetadataSigner,
} from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { createUser } from '../identity/create-user';
import { issueWithGeneratedKey } from '../issue-with-generated-key';
import { setOrganizationWebhook } from '../notices/webhooks';
import { verifyWebhookSignature } from '../notices/webhook-sender';
import { openPlatform, type Platform } from '../platform';
import { revokeCertificate } from '../revoke-certificate';
import { checkConformanceEndpoint } from './check-endpoint';
import { deliverConformanceAlert } from './deliver-alert';
import { scanConformance } from './scan-conformance';

const operator: Actor = { id: 'conformance-operator', role: 'operator' };
const PASSWORD = 'conformance test password';
const HOUR = 3600;

/** The private key of a PKCS #12 the platform delivered, as OpenSSL opens it. */
function keyOf(pkcs12: Uint8Array, dir: string): string {
  const path = join(dir, `${randomUUID()}.p12`);
  writeFileSync(path, pkcs12);
  const r = openssl(['pkcs12', '-in', path, '-passin', `pass:${PASSWORD}`, '-nodes', '-nocerts']);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.slice(r.stdout.indexOf('-----BEGIN PRIVATE KEY-----'));
}

// Endpoint conformance against real HTTPS servers on loopback: the platform trusts the servers'
// own TLS certificate (the outbound guard's tlsCa) and allows loopback addresses (the guard's
// insecure mode, as every test deployment). One server serves good and bad metadata under several
// base URLs, each a SAN URI of a live udap-server certificate the platform issued with a key it
// generated (so the test holds the private key). A database of its own: the scan looks at every
// server certificate of the database.
describe('endpoint conformance monitoring (PostgreSQL, HTTPS on loopback)', () => {
  const dir = tempDir('anchorage-conformance-');
  const clock = new FakeClock(new Date());
  const tag = randomUUID().slice(0, 8);
  let fresh: FreshDatabase;
  let p: Platform;
  let https: LoopbackHttps;
  let smtp: SmtpReceiver;
  let hooks: Server;
  const hookBodies: { body: string; valid: boolean; delivery: string; event: string }[] = [];
  let hookSecret = '';
  let closedPort = 0;
  let c: CreatedCommunity;
  let other: CreatedCommunity;
  /** What each path prefix serves. */
  const routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
  const base = (name: string) => https.url(`/${name}/r4`);
  const json = (body: unknown) => (res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_conformance`.slice(0, 63));
    const tls = loopbackTls(dir);
    https = await startLoopbackHttps(tls, (req, res) => {
      const name = (req.url ?? '').split('/')[1];
      const route = routes.get(name);
      if (!route || !(req.url ?? '').startsWith(`/${name}/r4/.well-known/udap?community=`)) res.writeHead(404).end();
      else route(res);
    });
    const gone = createHttpServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
    closedPort = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
    smtp = await SmtpReceiver.start();
    hooks = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        hookBodies.push({
          body, delivery: String(req.headers['x-anchorage-delivery']), event: String(req.headers['x-anchorage-event']),
          valid: verifyWebhookSignature(hookSecret, String(req.headers['x-anchorage-signature']), body, Math.floor(clock.now().getTime() / 1000)),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    p = await openPlatform({
      ...testPlatformOptions(), databaseUrl: fresh.url, poolSize: 4, clock, endpointCheckInsecure: true, outboundTlsCa: [tls.certPem],
      conformanceFetch: { timeoutMs: 1500, maxBytes: 64 * 1024 }, smtpUrl: smtp.url, consoleUrl: 'https://console.example.org',
    });
    const policy = { allowGeneratedKeys: true, allowedLeafKeyTypes: ['RSA-2048' as const] };
    c = await createCommunity(p, { name: `Conformance ${tag}`, uri: `udap://conformance-${tag}.example.org/`, caKeyType: 'RSA-2048', policy }, operator);
    other = await createCommunity(p, { name: `Other ${tag}`, uri: `udap://other-${tag}.example.org/`, caKeyType: 'RSA-2048', policy }, operator);
  });
  afterAll(async () => {
    await p?.close();
    await fresh?.drop();
    await https?.close();
    await smtp?.close();
    hooks?.closeAllConnections();
    await new Promise<void>((r) => (hooks ? hooks.close(() => r()) : r()));
  });

  /** Issues a udap-server certificate for `sanUris` with a platform-generated key; returns the certificate and the signer (key and chain). */
  const serverCertificate = async (community: CreatedCommunity, organizationId: string, sanUris: string[]) => {
    const out = await issueWithGeneratedKey(p, { organizationId, profile: 'udap-server', sanUris, pkcs12Password: PASSWORD }, operator);
    const signer: MetadataSigner = { keyPem: keyOf(out.pkcs12!, dir), x5c: [out.certificate.der!, community.issuing.certificateDer!] };
    return { certificate: out.certificate, signer };
  };
  const endpointOf = async (baseUrl: string) => (await p.db.conformance.findByUrl(c.community.id, baseUrl))!;
  const codes = (findings: { code: string; severity: string }[], severity = 'error') => findings.filter((f) => f.severity === severity).map((f) => f.code);
  const scan = () => scanConformance(p, { intervalSeconds: HOUR, dispatch: { kind: 'inline', concurrency: 8 } });

  it('a server signing with its live platform certificate passes; once the platform revokes it, the next cycle fails it with `revoked` and raises one alert, delivered once', async () => {
    const good = base(`good-${tag}`);
    const org = await createOrganization(p, { communityId: c.community.id, name: `Good Clinic ${tag}`, sanUris: [good] }, operator);
    await createUser(p, { email: `admin-${tag}@example.org`, displayName: 'Admin', role: 'member-admin', password: 'conformance admin password', organizationId: org.id }, operator);
    await createUser(p, { email: `ops-${tag}@example.org`, displayName: 'Ops', role: 'operator', password: 'conformance ops password', communities: [c.community.id] }, operator);
    hookSecret = (await setOrganizationWebhook(p, org, `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`, operator)).secret;
    const { certificate, signer } = await serverCertificate(c, org.id, [good]);
    routes.set(`good-${tag}`, json(udapMetadata(good, await signedMetadataJwt(good, signer))));

    const first = await scan();
    expect(first.sync.added).toBeGreaterThanOrEqual(1);
    expect(first.errors).toBe(0);
    let endpoint = await endpointOf(good);
    expect(endpoint).toMatchObject({ status: 'passing', organizationId: org.id, consecutiveFailures: 0, certificatesGoneAt: null });
    const passed = (await p.db.conformance.checks(endpoint.id)).items[0];
    expect(codes(passed.findings)).toEqual([]);
    expect(passed).toMatchObject({ status: 'passing', trigger: 'schedule', httpStatus: 200, signerCertificateId: certificate.id, signerSerial: Buffer.from(certificate.serial).toString('hex') });

    // not due again within the cycle: a second scan checks nothing of it
    await scan();
    expect((await p.db.conformance.checks(endpoint.id)).total).toBe(1);

    await revokeCertificate(p, { certificate: { certificateId: certificate.id }, reason: 'keyCompromise' }, operator);
    clock.advance(HOUR * 1000);
    const next = await scan();
    expect(next.sync.certificatesGone).toBe(1);
    endpoint = await endpointOf(good);
    expect(endpoint).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastPassingAt: passed.checkedAt });
    expect(endpoint.certificatesGoneAt).not.toBeNull();
    const failed = (await p.db.conformance.checks(endpoint.id)).items[0];
    expect(failed.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'revoked', severity: 'error', depth: 0 })]));
    const alerts = await p.db.conformance.listAlerts({ endpointId: endpoint.id });
    expect(alerts.items).toHaveLength(1);
    const alert = alerts.items[0];
    expect(alert).toMatchObject({ checkId: failed.id, organizationId: org.id, baseUrl: good, lastPassingAt: passed.checkedAt });
    expect(alert.codes).toContain('revoked');
    expect(await p.db.outboxRelay.find(`conformance-alert.${alert.id}`)).toMatchObject({ name: 'conformance-alert', queue: 'anchorage-notices' });

    // still failing the cycle after: recorded, no second alert
    clock.advance(HOUR * 1000);
    await scan();
    expect(await endpointOf(good)).toMatchObject({ status: 'failing', consecutiveFailures: 2 });
    expect((await p.db.conformance.listAlerts({ endpointId: endpoint.id })).total).toBe(1);

    // delivery: one e-mail to the member admins, one to the community's operators, one signed webhook; a second run sends nothing again
    expect(await deliverConformanceAlert(p, alert.id)).toEqual({ email: 'sent', webhook: 'delivered' });
    expect(await deliverConformanceAlert(p, alert.id)).toEqual({ email: 'already-sent', webhook: 'already-delivered' });
    const mails = smtp.messages.filter((m) => m.subject.includes(good));
    expect(mails.map((m) => m.to).sort()).toEqual([[`admin-${tag}@example.org`], [`ops-${tag}@example.org`]].sort());
    expect(mails[0].text).toContain('revoked');
    expect(hookBodies).toHaveLength(1);
    expect(hookBodies[0]).toMatchObject({ valid: true, delivery: alert.id, event: 'endpoint.conformance-failing' });
    expect(JSON.parse(hookBodies[0].body)).toMatchObject({ type: 'endpoint.conformance-failing', alertId: alert.id, baseUrl: good, codes: expect.arrayContaining(['revoked']) });
    expect((await p.db.conformance.findAlert(alert.id))!).toMatchObject({ webhookAttempts: 1, lastError: null });
  });

  it('records a finding, never a crash or a hang, for bad metadata, bad servers and bad signatures', async () => {
    const names = ['json', 'huge', 'slow', 'redirect', 'missing', 'slash', 'foreign', 'missing-jwt', 'notfound', 'noisy'];
    const url = Object.fromEntries(names.map((n) => [n, base(`${n}-${tag}`)]));
    const unreachable = `https://127.0.0.1:${closedPort}/gone-${tag}/r4`;
    const org = await createOrganization(p, { communityId: c.community.id, name: `Bad Clinic ${tag}`, sanUris: [...Object.values(url), unreachable] }, operator);
    const { signer, certificate } = await serverCertificate(c, org.id, [...Object.values(url), unreachable]);
    // the same base URL certified in another community of the platform, whose certificate signs "foreign"'s metadata
    const otherOrg = await createOrganization(p, { communityId: other.community.id, name: `Other Clinic ${tag}`, sanUris: [url.foreign] }, operator);
    const foreign = await serverCertificate(other, otherOrg.id, [url.foreign]);
    const slow: import('node:http').ServerResponse[] = [];
    routes.set(`json-${tag}`, (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"udap_versions_supported": ["1"], '));
    routes.set(`huge-${tag}`, (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"pad": "${'x'.repeat(1024 * 1024)}"}`));
    routes.set(`slow-${tag}`, (res) => void slow.push(res.writeHead(200, { 'content-type': 'application/json' }))); // headers, then nothing
    routes.set(`redirect-${tag}`, (res) => res.writeHead(302, { location: `${url.redirect}/.well-known/udap` }).end());
    routes.set(`missing-${tag}`, json(udapMetadata(url.missing, await signedMetadataJwt(url.missing, signer), { token_endpoint_auth_methods_supported: undefined, udap_versions_supported: ['2'] })));
    routes.set(`slash-${tag}`, json(udapMetadata(url.slash, await signedMetadataJwt(url.slash, signer, { iss: `${url.slash}/`, sub: `${url.slash}/` }))));
    routes.set(`foreign-${tag}`, json(udapMetadata(url.foreign, await signedMetadataJwt(url.foreign, { ...foreign.signer, x5c: [foreign.certificate.der!, other.issuing.certificateDer!] }))));
    routes.set(`missing-jwt-${tag}`, json(udapMetadata(url['missing-jwt'], 'x', { signed_metadata: undefined })));
    // within the size limit, but built to make long findings: they are kept short
    routes.set(`noisy-${tag}`, json(udapMetadata(url.noisy, 'x', { token_endpoint_auth_signing_alg_values_supported: Array.from({ length: 3000 }, (_, i) => `none${i}`) })));

    const started = Date.now();
    const out = await scan();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(out.errors).toBe(0);
    const last = async (baseUrl: string) => {
      const e = await endpointOf(baseUrl);
      return { endpoint: e, check: (await p.db.conformance.checks(e.id)).items[0] };
    };
    const expectFailing = async (baseUrl: string, code: string) => {
      const { endpoint, check } = await last(baseUrl);
      expect({ baseUrl, status: endpoint.status, codes: codes(check.findings) }).toEqual({ baseUrl, status: 'failing', codes: expect.arrayContaining([code]) });
      return check;
    };
    await expectFailing(url.json, 'metadata-not-json');
    await expectFailing(url.huge, 'too-large');
    const timedOut = await expectFailing(url.slow, 'timeout');
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(1400);
    expect(timedOut.durationMs).toBeLessThan(5000);
    expect((await expectFailing(url.redirect, 'redirect')).httpStatus).toBe(302);
    const missing = await expectFailing(url.missing, 'metadata-field-missing');
    expect(missing.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'metadata-field-missing', claim: 'token_endpoint_auth_methods_supported', section: 'UDAP STU2 §2.2' }),
      expect.objectContaining({ code: 'metadata-field-invalid', claim: 'udap_versions_supported' }),
    ]));
    // the metadata itself is fine and its signer is this organization's live certificate: only the missing field fails it
    expect(missing.signerCertificateId).toBe(certificate.id);
    const slash = await expectFailing(url.slash, 'iss-trailing-slash-mismatch');
    expect(codes(slash.findings)).toContain('iss-mismatch');
    const foreignCheck = await expectFailing(url.foreign, 'signer-other-community');
    // no path to this community's anchor: the other community's issuing CA is not one of its intermediates
    expect(codes(foreignCheck.findings)).toEqual(expect.arrayContaining(['chain-incomplete']));
    expect(foreignCheck.signerCertificateId).toBe(foreign.certificate.id);
    await expectFailing(url['missing-jwt'], 'signed-metadata-missing');
    await expectFailing(url.notfound, 'udap-not-supported');
    const noisy = await expectFailing(url.noisy, 'metadata-field-invalid');
    expect(JSON.stringify(noisy.findings).length).toBeLessThan(20_000);
    await expectFailing(unreachable, 'connect-failed');
    // none of them ever passed: failing from unknown is no transition to alert
    expect((await p.db.conformance.listAlerts({ organizationId: org.id })).total).toBe(0);
    for (const res of slow) res.destroy();
  });

  it('checks on demand: the result is recorded and returned, and the history keeps both', async () => {
    const url = base(`demand-${tag}`);
    const org = await createOrganization(p, { communityId: c.community.id, name: `Demand Clinic ${tag}`, sanUris: [url] }, operator);
    const { signer } = await serverCertificate(c, org.id, [url]);
    routes.set(`demand-${tag}`, json(udapMetadata(url, await signedMetadataJwt(url, signer))));
    await scan();
    const endpoint = await endpointOf(url);
    expect(endpoint.status).toBe('passing');
    // the server breaks: a member asks for a check now
    routes.set(`demand-${tag}`, (res) => res.writeHead(500).end('secret internals'));
    const member: Actor = { id: `user:${tag}`, role: 'member-admin', organizationId: org.id };
    clock.advance(1000);
    const out = await checkConformanceEndpoint(p, endpoint.id, { trigger: 'on-demand', actor: member });
    expect(out.endpoint).toMatchObject({ status: 'failing', consecutiveFailures: 1 });
    expect(out.check).toMatchObject({ trigger: 'on-demand', requestedBy: member.id, httpStatus: 500 });
    expect(codes(out.check.findings)).toEqual(['http-status']);
    expect(JSON.stringify(out.check.findings)).not.toContain('secret internals');
    expect(out.alert).not.toBeNull();
    expect((await p.db.conformance.checks(endpoint.id)).items.map((ch) => ch.trigger)).toEqual(['on-demand', 'schedule']);
    // the history is append-only
    await expect(p.db.pool.query('UPDATE conformance_check SET status = $2 WHERE id = $1', [out.check.id, 'passing'])).rejects.toThrow(/append-only/);
  });
});
