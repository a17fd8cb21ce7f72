// A community's test certificates page in Chromium against the real API process: the operator creates
// the kit from the page (a TEST anchor and the twelve cases appear, each with what a relying server must
// answer and its files), and a member admin of the community reads the same table without the button;
// the page's links are the public files (the anchor it names is the one served under /pki).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CommunityView, CreatedUserView, OrganizationView, TestKitView } from '@anchorage/contracts';
import { createTokenWithCli, isolatedPlatformOptions, openssl, platformEnv, startApiProcess, type ApiProcess, type IsolatedPlatformOptions } from '@anchorage/testing';
import { CONSOLE_DIST } from './build-console';
import { CHROMIUM, SHOTS, skipWithoutChromium } from './browser';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'console test kit pass phrase';
const PUBLIC_BASE = 'http://pki.console-test-kit.invalid';

(skip ? describe.skip : describe)('test certificates page in the console (Chromium, real API)', () => {
  const tag = randomBytes(4).toString('hex');
  let opts: IsolatedPlatformOptions | undefined;
  let api0: ApiProcess;
  let browser: Browser;
  let url = '';
  let token = '';
  let community: CommunityView;
  let operator: CreatedUserView;
  const pageErrors: string[] = [];

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const signIn = async (email: string, code?: () => string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    if (code) await p.getByLabel('Authenticator code').fill(code());
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
    return p;
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `test-kit-${name}.png`), fullPage: true, animations: 'disabled' });
  /** The case ids of the table's rows, top to bottom. */
  const caseRows = (p: Page) => p.locator('table[aria-label="Test cases"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));

  beforeAll(async () => {
    opts = await isolatedPlatformOptions(PUBLIC_BASE);
    api0 = await startApiProcess({ ...platformEnv(opts), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST });
    url = api0.url;
    token = createTokenWithCli(opts.databaseUrl, 'console-test-kit');
    community = await api<CommunityView>('POST', '/api/v1/communities', { name: `Kit Network ${tag}`, uri: `udap://kit-${tag}.example.org/`, caKeyType: 'RSA-2048' });
    const org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Kit Clinic', sanUris: [`https://kit-${tag}.example.org/fhir`] });
    operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator-${tag}@example.org`, displayName: 'Olga Operator', role: 'operator', password: PASSWORD, communities: 'all' });
    await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin-${tag}@example.org`, displayName: 'Mara Member', role: 'member-admin', password: PASSWORD, organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api0?.stop();
    await opts?.drop();
  });
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  it('lets the operator create the kit from the community page, and shows each case with the answer a relying server must give', async () => {
    const p = await signIn(operator.email, () => totpCode(operator.totpEnrollment!.secret));
    await p.goto(`${url}/#/communities/${community.id}/show`);
    await p.getByRole('link', { name: 'Test certificates' }).click();
    await p.getByText('No test kit yet').waitFor();
    await p.getByRole('button', { name: 'Create the test kit' }).click();
    await p.getByText('Test kit created').waitFor();
    await p.locator('table[aria-label="Test cases"]').waitFor();
    expect(await caseRows(p)).toEqual([
      'valid', 'expired', 'not-yet-valid', 'revoked', 'untrusted-root', 'no-cdp', 'dead-cdp', 'missing-san', 'iss-san-mismatch', 'iss-trailing-slash', 'missing-intermediate', 'ec-key',
    ]);
    const revoked = await p.locator('tr[data-case="revoked"]').innerText();
    expect(revoked).toContain('reject');
    expect(revoked).toContain('invalid_software_statement');
    expect(revoked).toContain('revoked');
    expect(await p.locator('tr[data-case="valid"]').innerText()).toContain('accept');
    expect(await p.getByRole('button', { name: 'Regenerate the test kit' }).count()).toBe(1);

    // the anchor the page names is the one /pki serves, and its link is the public file
    const kit = await api<TestKitView>('GET', `/api/v1/communities/${community.id}/test-kit`);
    await p.getByText(`SHA-256 ${kit.anchor.sha256}`).waitFor();
    expect(await p.getByRole('link', { name: 'TEST anchor (PEM)' }).getAttribute('href')).toBe(kit.anchor.pemUrl);
    expect(await p.getByRole('link', { name: 'private key of revoked' }).getAttribute('href')).toBe(kit.cases.find((c) => c.id === 'revoked')!.files.privateKey);
    const pem = await (await fetch(kit.anchor.pemUrl.replace(PUBLIC_BASE, url))).text();
    const x509 = openssl(['x509', '-noout', '-subject', '-fingerprint', '-sha256'], pem);
    expect(x509.stdout).toMatch(/TEST anchor/);
    expect(x509.stdout.replace(/:/g, '').toLowerCase()).toContain(kit.anchor.sha256);
    await p.getByText('Test kit created').waitFor({ state: 'detached' });
    await shot(p, 'operator');
    await p.context().close();
  });

  it('shows a member admin of the community the same table, without the button', async () => {
    const p = await signIn(`admin-${tag}@example.org`);
    await p.goto(`${url}/#/communities/${community.id}/test-kit`);
    await p.locator('table[aria-label="Test cases"]').waitFor();
    expect(await caseRows(p)).toHaveLength(12);
    expect(await p.getByRole('button', { name: /test kit/ }).count()).toBe(0);
    expect(await p.locator('tr[data-case="untrusted-root"]').innerText()).toContain('unapproved_software_statement');
    await shot(p, 'member');
    await p.context().close();
  });
});
