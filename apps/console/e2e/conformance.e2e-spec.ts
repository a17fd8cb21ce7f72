// Endpoint conformance in the console, in Chromium, against the real API process and a member's real
// HTTPS server on loopback (the API process trusts its certificate through NODE_EXTRA_CA_CERTS and
// reaches loopback in the deployment's test mode): the member admin sees its organization's monitored
// servers and checks them now (one passes, one serves malformed metadata and fails with its finding);
// the operator's community-wide table lists them, failing first, and checks one now.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CertificateView, CommunityView, CreatedUserView, OrganizationView } from '@anchorage/contracts';
import {
  createTokenWithCli, isolatedPlatformOptions, loopbackTls, platformEnv, signedMetadataJwt, startApiProcess, startLoopbackHttps, udapMetadata,
  type ApiProcess, type IsolatedPlatformOptions, type LoopbackHttps,
} from '@anchorage/testing';
import { CONSOLE_DIST } from './build-console';
import { CHROMIUM, SHOTS, skipWithoutChromium } from './browser';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'console conformance pass phrase';

(skip ? describe.skip : describe)('endpoint conformance in the console (Chromium, real API, HTTPS member server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-conformance-'));
  const tag = randomBytes(4).toString('hex');
  let opts: IsolatedPlatformOptions | undefined;
  let api0: ApiProcess;
  let https: LoopbackHttps;
  let browser: Browser;
  let url = '';
  let token = '';
  let good = '';
  let broken = '';
  let operator: CreatedUserView;
  const served = new Map<string, string>();

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const signIn = async (email: string, code?: () => string, width = 1400): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    if (code) await p.getByLabel('Authenticator code').fill(code());
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
    return p;
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `conformance-${name}.png`), fullPage: true, animations: 'disabled' });

  beforeAll(async () => {
    const tls = loopbackTls(dir);
    const caFile = join(dir, 'member-server-ca.pem');
    writeFileSync(caFile, tls.certPem);
    https = await startLoopbackHttps(tls, (req, res) => {
      const body = served.get((req.url ?? '').split('/.well-known/udap')[0]);
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    opts = await isolatedPlatformOptions('http://pki.console-conformance.invalid');
    api0 = await startApiProcess({ ...platformEnv(opts), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST, ANCHORAGE_ENDPOINT_CHECK_INSECURE: 'true', NODE_EXTRA_CA_CERTS: caFile });
    url = api0.url;
    token = createTokenWithCli(opts.databaseUrl, 'console-conformance');

    good = https.url(`/good-${tag}/r4`);
    broken = https.url(`/broken-${tag}/r4`);
    const community = await api<CommunityView>('POST', '/api/v1/communities', { name: `Conformance Network ${tag}`, uri: `udap://conformance-${tag}.example.org/`, caKeyType: 'RSA-2048' });
    const org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Conformance Clinic', sanUris: [good, broken] });
    const keyPath = join(dir, 'server.key');
    const csr = spawnSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', '/CN=conformance', '-addext', `subjectAltName=URI:${good},URI:${broken}`], { encoding: 'utf8' });
    const cert = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: csr.stdout });
    const x5c = cert.x5c.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
    served.set(`/good-${tag}/r4`, JSON.stringify(udapMetadata(good, await signedMetadataJwt(good, { keyPem: readFileSync(keyPath, 'utf8'), x5c }))));
    served.set(`/broken-${tag}/r4`, '{"udap_versions_supported": ["1"],');
    // the monitored servers, as the worker's scan adds them for a live udap-server certificate (no worker runs here)
    const db = new Client({ connectionString: opts.databaseUrl });
    await db.connect();
    for (const baseUrl of [good, broken]) {
      await db.query('INSERT INTO conformance_endpoint (id, community_id, organization_id, base_url) VALUES (gen_random_uuid(), $1, $2, $3)', [community.id, org.id, baseUrl]);
    }
    await db.end();

    operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator-${tag}@example.org`, displayName: 'Olga Operator', role: 'operator', password: PASSWORD, communities: 'all' });
    await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin-${tag}@example.org`, displayName: 'Mara Member', role: 'member-admin', password: PASSWORD, organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api0?.stop();
    await opts?.drop();
    await https?.close();
  });

  it('shows the member its servers and checks them now: one passes, the one with malformed metadata fails with its finding', async () => {
    const p = await signIn(`admin-${tag}@example.org`);
    await p.getByRole('menuitem', { name: 'My organization' }).click();
    const card = p.getByRole('region', { name: 'Endpoint conformance' });
    await card.getByLabel('Conformance summary').filter({ hasText: '0 passing, 0 failing, 2 not checked yet' }).waitFor();
    expect(await p.getByRole('menuitem', { name: 'Conformance' }).count()).toBe(0);

    await card.getByRole('button', { name: `Check ${good} now` }).click();
    await card.getByLabel('Conformance summary').filter({ hasText: '1 passing, 0 failing, 1 not checked yet' }).waitFor();
    await p.getByText(`${good} passes`).waitFor();
    const goodRow = card.locator(`tr[data-endpoint="${good}"]`);
    expect(await goodRow.locator('td').nth(1).innerText()).toBe('passing');

    await card.getByRole('button', { name: `Check ${broken} now` }).click();
    await card.getByLabel('Conformance summary').filter({ hasText: '1 passing, 1 failing, 0 not checked yet' }).waitFor();
    const brokenRow = card.locator(`tr[data-endpoint="${broken}"]`);
    expect(await brokenRow.locator('td').nth(1).innerText()).toBe('failing');
    expect(await brokenRow.getByLabel(`Findings of ${broken}`).innerText()).toContain('metadata-not-json');
    expect(await brokenRow.getByLabel('Findings', { exact: true }).innerText()).toContain('UDAP STU2 §2.1');
    await card.scrollIntoViewIfNeeded();
    await shot(p, 'member-organization');
    await p.context().close();
  });

  it('lists every monitored server for the operator, failing first, and checks one now', async () => {
    const p = await signIn(operator.email, () => totpCode(operator.totpEnrollment!.secret));
    await p.getByRole('menuitem', { name: 'Conformance' }).click();
    const table = p.getByRole('table').filter({ hasText: 'FHIR base URL' });
    await table.getByText(broken).waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^failing\s/);
    expect(rows[0]).toContain(broken);
    expect(rows[0]).toContain('metadata-not-json');
    expect(rows[1]).toMatch(/^passing\s/);
    await shot(p, 'community-table');

    served.set(`/broken-${tag}/r4`, served.get(`/good-${tag}/r4`)!.replaceAll(good, broken));
    await table.getByRole('button', { name: `Check ${broken} now` }).click();
    // the good server's metadata at the broken one's address is signed for another base URL: still failing, now for iss
    await p.getByText(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} fails`)).waitFor();
    await table.locator('tbody tr').first().filter({ hasText: 'iss-mismatch' }).waitFor();
    await shot(p, 'community-table-after-check');
    await p.context().close();
  });

  it('fits the servers on a 390 px screen: the operator\'s cards, the member\'s organization', async () => {
    const overflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // an operator of its own: a TOTP code is accepted once
    const phone = await api<CreatedUserView>('POST', '/api/v1/users', { email: `phone-${tag}@example.org`, displayName: 'Pia Phone', role: 'operator', password: PASSWORD, communities: 'all' });
    const p = await signIn(phone.email, () => totpCode(phone.totpEnrollment!.secret), 390);
    await p.goto(`${url}/#/conformance-endpoints`);
    const cards = p.getByRole('list', { name: 'Endpoint conformance' }).getByRole('listitem');
    await cards.nth(1).waitFor();
    await cards.first().getByText('iss-mismatch').waitFor();
    await cards.first().getByRole('button', { name: `Check ${broken} now` }).waitFor();
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    await shot(p, 'community-cards-phone');
    await p.context().close();

    const m = await signIn(`admin-${tag}@example.org`, undefined, 390);
    await m.goto(`${url}/#/organizations`);
    await m.getByRole('region', { name: 'Endpoint conformance' }).getByLabel('Conformance summary').waitFor();
    expect(await overflow(m)).toBeLessThanOrEqual(0);
    await shot(m, 'member-organization-phone');
    await m.context().close();
  });
});
