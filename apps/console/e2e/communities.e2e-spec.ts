// Communities and charts in the console, in Chromium against the real API process and PostgreSQL: an operator
// creates a community and sees the creation's steps while the signer generates the CA keys (a wrong URI is
// refused and creates nothing); the community page draws the CA hierarchy with leaf counts, shows every CA's
// SHA-256 fingerprint and the public links with copy buttons (the clipboard then holds them), generates a CRL
// now and edits the policy (a bad value is refused and changes nothing); the dashboard draws issuance and
// revocations per day, certificates expiring by week and CRL size and freshness, each with its figures as text;
// an auditor reads all of it on a 390 px wide screen; a member admin gets neither hierarchy nor charts.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CertificateView, CommunityDetailView, CommunityView, CreatedUserView, CrlView, OrganizationView } from '@anchorage/contracts';
import { SHOTS, skipWithoutChromium } from './browser';
import { launchChromium, startConsoleApi, type ConsoleApi } from './real-api-harness';
import { overflowing } from './narrow';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'console communities pass phrase';
const PKI_BASE = 'http://pki.console-communities.invalid';
const colon = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');

(skip ? describe.skip : describe)('communities and charts in the console, against the real API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-communities-'));
  const host = `communities-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let url = '';
  let browser: Browser;
  let community: CommunityDetailView;
  let operator: CreatedUserView;
  let auditor: CreatedUserView;
  let memberAdmin: CreatedUserView;
  let totpStep = 0;

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => server!.api<T>(method, path, body);
  const issue = async (organizationId: string, san: string, name: string, validityDays?: number): Promise<CertificateView> => {
    const csr = spawnSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-subj', `/CN=${name}`, '-addext', `subjectAltName=URI:${san}`], { encoding: 'utf8' });
    return api<CertificateView>('POST', '/api/v1/certificates', { organizationId, profile: 'udap-server', csr: csr.stdout, validityDays });
  };
  /** SHA-256 of a CA certificate as the public repository serves it. */
  const servedFingerprint = async (caId: string) => createHash('sha256').update(Buffer.from(await (await fetch(`${url}/pki/ca/${caId}.cer`)).arrayBuffer())).digest('hex');
  const shot = async (p: Page, name: string) => {
    await p.evaluate(() => window.scrollTo(0, 0)); // a full-page shot of a scrolled page draws the app bar midway
    await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  };

  /**
   * A fresh context signed in through the login page; an operator gives its TOTP code (each step's code once).
   * `problems` collects every CSP violation (the charts are inline SVG under the console's policy) and page error.
   */
  const signIn = async (user: CreatedUserView, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const problems: string[] = [];
    await context.exposeBinding('reportCspViolation', (_source, v: string) => void problems.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        void (window as unknown as { reportCspViolation(v: string): Promise<void> }).reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
      });
    });
    const p = await context.newPage();
    p.on('pageerror', (err) => problems.push(err.message));
    p.setDefaultTimeout(30_000);
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').fill(user.email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    if (user.totpEnrollment) {
      // a code is accepted once: wait for the next 30-second step when this one was used
      const step = () => Math.floor(Date.now() / 30_000);
      while (step() <= totpStep) await new Promise((r) => setTimeout(r, 500));
      totpStep = step();
      await p.getByLabel('Authenticator code').fill(totpCode(user.totpEnrollment.secret, totpStep));
    }
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
    return { context, page: p, problems };
  };
  const openCommunity = async (p: Page, id: string) => {
    await p.goto(`${url}/#/communities/${id}/show`);
    await p.getByRole('region', { name: 'CA hierarchy' }).or(p.getByText('Exchange purposes (client URI fragments)')).first().waitFor();
  };

  beforeAll(async () => {
    server = await startConsoleApi(PKI_BASE, 'console-communities-e2e');
    url = server.url;
    const c = await api<CommunityView>('POST', '/api/v1/communities', { name: 'Hierarchy Network', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    const org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: c.id, name: 'Hierarchy Clinic', sanUris: [`https://${host}/a`, `https://${host}/b`, `https://${host}/c`] });
    // three leaves of the issuing CA: one revoked (its CRL #2 lists it), one expiring in 20 days (week 3 of the chart)
    const revoked = await issue(org.id, `https://${host}/a`, 'a');
    await issue(org.id, `https://${host}/b`, 'b');
    await issue(org.id, `https://${host}/c`, 'c', 20);
    await api('POST', `/api/v1/certificates/${revoked.id}/revoke`, { reason: 'keyCompromise' });
    community = await api<CommunityDetailView>('GET', `/api/v1/communities/${c.id}`);
    operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Cora Creator', role: 'operator', password: PASSWORD, communities: 'all' });
    auditor = await api<CreatedUserView>('POST', '/api/v1/users', { email: `auditor@${host}`, displayName: 'Aud Reader', role: 'auditor', password: PASSWORD });
    memberAdmin = await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin@${host}`, displayName: 'Mem Admin', role: 'member-admin', password: PASSWORD, organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a community, naming the steps while the signer generates the CA keys; a wrong URI creates nothing', async () => {
    const { context, page, problems } = await signIn(operator);
    await page.getByRole('menuitem', { name: 'Communities' }).click();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel(/^Name/).fill('Console Created Network');
    // a URI that is not canonical: the API's words under the field, and no community
    await page.getByLabel(/^Community URI/).fill(`udap://Created.${host}/`);
    await page.getByRole('button', { name: 'Create community' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/The community was not created: the community request is invalid/);
    await page.getByText(`is not canonical; use "udap://created.${host}/"`, { exact: true }).waitFor();
    expect((await api<CommunityView[]>('GET', '/api/v1/communities')).map((c) => c.name)).toEqual(['Hierarchy Network']);

    // the API answers once keys, certificates and CRLs exist; the request is held here until the running
    // state is photographed (RSA-4096 keys take seconds anyway), then let through
    let release = () => {};
    const held = new Promise<void>((r) => { release = r; });
    await page.route('**/api/v1/communities', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await page.getByLabel(/^Community URI/).fill(`udap://created.${host}/`);
    await page.getByRole('button', { name: 'Create community' }).click();
    const steps = page.getByRole('list', { name: 'Creation steps' });
    await steps.getByText('Root CA key: in progress').waitFor();
    await page.getByRole('progressbar', { name: 'Creating the community' }).waitFor();
    expect(await steps.getByRole('listitem').allInnerTexts()).toEqual([
      'Root CA key: in progress', 'Root CA certificate: in progress', 'Issuing CA key: in progress', 'Issuing CA certificate: in progress', 'First CRLs: in progress',
    ].map((t) => expect.stringContaining(t)));
    await expect(page.getByRole('button', { name: 'Creating…' }).isDisabled()).resolves.toBe(true);
    await shot(page, 'community-create-progress');
    release();
    await page.getByText(/Created in [\d.]+ s: every step is done/).waitFor();
    expect(await steps.locator('[data-state="done"]').count()).toBe(5);
    const created = (await api<CommunityView[]>('GET', '/api/v1/communities')).find((c) => c.name === 'Console Created Network')!;
    const detail = await api<CommunityDetailView>('GET', `/api/v1/communities/${created.id}`);
    const root = detail.cas.find((a) => a.role === 'root')!;
    await steps.getByText(`SHA-256 ${colon(await servedFingerprint(root.id))}`).waitFor();
    expect((await api<CrlView[]>('GET', `/api/v1/cas/${detail.issuingCaId}/crls`)).map((x) => x.crlNumber)).toEqual(['1']);
    await shot(page, 'community-create-done');
    await page.getByRole('link', { name: 'Open the community' }).click();
    await page.getByRole('region', { name: 'CA hierarchy' }).getByText(root.subject).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('draws the CA hierarchy with leaf counts, shows fingerprints and links with copy buttons, generates a CRL now and edits the policy', async () => {
    const { context, page, problems } = await signIn(operator);
    await openCommunity(page, community.id);
    const root = community.cas.find((a) => a.role === 'root')!;
    const issuing = community.cas.find((a) => a.role === 'issuing')!;
    const picture = page.getByRole('region', { name: 'CA hierarchy' });
    await picture.getByRole('group', { name: `Leaf certificates of ${issuing.subject}: 2 active, 1 revoked, 0 expired` }).waitFor();
    expect(await picture.locator('[data-role]').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')))).toEqual(['root', 'issuing']);
    await expect(picture.locator(`[data-ca="${issuing.id}"]`).innerText()).resolves.toMatch(/Issuing CA[\s\S]*Status: active/);
    // every CA's fingerprint is the SHA-256 of the certificate the public repository serves
    const expected = [colon(await servedFingerprint(root.id)), colon(await servedFingerprint(issuing.id))];
    expect(await picture.getByTestId('fingerprint').allInnerTexts()).toEqual(expected);
    await picture.scrollIntoViewIfNeeded();
    await shot(page, 'community-hierarchy');

    // copy buttons: "Copied" in words, and the clipboard holds the value
    const copyRoot = picture.getByRole('button', { name: `Copy the SHA-256 fingerprint of ${root.subject}` });
    await copyRoot.click();
    await picture.locator(`[data-ca="${root.id}"]`).getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected[0]);
    await page.getByRole('button', { name: 'Copy the trust bundle link' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${PKI_BASE}/pki/communities/${community.id}/trust-bundle.pem`);
    await page.getByRole('button', { name: `Copy the CRL link of ${issuing.subject}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${PKI_BASE}/pki/crl/${issuing.id}.crl`);
    await page.getByRole('button', { name: `Copy the CRL link of ${issuing.subject}` }).scrollIntoViewIfNeeded();
    await shot(page, 'community-fingerprints-copied');

    // generate CRL now: #3 (after #1 at creation and #2 at the revocation), listing the one revoked leaf
    await page.getByRole('button', { name: `Generate CRL now for ${issuing.subject}` }).click();
    await page.getByRole('status').filter({ hasText: 'CRL #3 published: 1 entry' }).waitFor();
    const history = page.getByRole('table', { name: 'CRL history' }).last();
    await history.getByRole('cell', { name: '#3', exact: true }).waitFor();
    expect((await api<CrlView[]>('GET', `/api/v1/cas/${issuing.id}/crls`)).map((x) => [x.crlNumber, x.entryCount])).toEqual([['3', 1], ['2', 1], ['1', 0]]);
    await page.getByText('CRL #3 published').scrollIntoViewIfNeeded();
    await shot(page, 'community-generate-crl');

    // the policy: a bad value is refused in the form and changes nothing; a good one is saved
    await page.getByRole('button', { name: 'Edit policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Policy of Hierarchy Network' });
    await dialog.getByLabel('Maximum leaf validity (days)').fill('0');
    await dialog.getByRole('button', { name: 'Save 1 change' }).click();
    await dialog.getByText('must be a whole number of days from 1 to 825').first().waitFor();
    expect((await api<CommunityDetailView>('GET', `/api/v1/communities/${community.id}`)).policy.maxLeafValidityDays).toBe(365);
    await shot(page, 'community-policy-refused');
    await dialog.getByLabel('Maximum leaf validity (days)').fill('90');
    await dialog.getByLabel('CRL lifetime (hours)').fill('48');
    await dialog.getByRole('button', { name: 'Save 2 changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/max leaf validity 90 days · CRL lifetime 48 h/).waitFor();
    expect((await api<CommunityDetailView>('GET', `/api/v1/communities/${community.id}`)).policy).toMatchObject({ maxLeafValidityDays: 90, crlLifetimeSeconds: 48 * 3600 });
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('draws the dashboard charts, each with its figures as text', async () => {
    const { context, page, problems } = await signIn(operator);
    const activity = page.getByRole('region', { name: 'Issued and revoked per day' });
    // three leaves issued and one revoked today (the created community has none)
    await activity.getByText('Last 30 days (UTC): 3 issued, 1 revoked.').waitFor();
    const today = new Date().toISOString().slice(0, 10);
    await expect(activity.getByRole('img').getAttribute('aria-label')).resolves.toBe(`Certificates per day from ${new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10)} to ${today}: 3 issued, 1 revoked; most issued on ${today}: 3.`);
    await activity.getByText('Show the figures as a table').click();
    const rows = activity.getByRole('table').locator('tbody tr');
    expect(await rows.count()).toBe(30);
    await expect(rows.last().innerText()).resolves.toMatch(new RegExp(`${today}\\s+3\\s+1`));
    expect(await activity.locator('svg[role="img"] rect[fill^="url("]').count()).toBe(1); // the revoked bar, hatched
    const expiry = page.getByRole('region', { name: 'Certificates expiring by week' });
    await expiry.getByText('Next 12 weeks: 1 certificate expires.').waitFor();
    await expect(expiry.getByRole('img').getAttribute('aria-label')).resolves.toMatch(/over the next 12 weeks: 1 in all; most in week 3 \(from/);
    const crls = page.getByRole('region', { name: 'CRL size and freshness, last 30 days' });
    await crls.getByRole('combobox', { name: 'CA' }).click();
    const issuing = community.cas.find((a) => a.role === 'issuing')!;
    await page.getByRole('option', { name: `${issuing.subject} (issuing)` }).click();
    await crls.getByText('Show the figures as a table').click();
    await expect(crls.getByRole('table').locator('tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['#3', '#2', '#1']);
    await expect(crls.getByRole('img', { name: /^Entries of / }).getAttribute('aria-label')).resolves.toBe(`Entries of ${issuing.subject}'s CRLs: 3 CRLs, from 0 to 1 entries.`);
    await crls.getByRole('img', { name: /^Freshness of .* none lapsed before it was replaced\.$/ }).waitFor();
    await activity.getByRole('button', { name: '90 days' }).click();
    await activity.getByText('Last 90 days (UTC): 3 issued, 1 revoked.').waitFor();
    await shot(page, 'dashboard-charts');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('fits the community page and the charts on a 390 px screen, read by an auditor without write buttons', async () => {
    const { context, page, problems } = await signIn(auditor, { width: 390, height: 844 });
    const issuing = community.cas.find((a) => a.role === 'issuing')!;
    await openCommunity(page, community.id);
    const picture = page.getByRole('region', { name: 'CA hierarchy' });
    await picture.getByRole('group', { name: `Leaf certificates of ${issuing.subject}: 2 active, 1 revoked, 0 expired` }).waitFor();
    expect(await overflowing(page)).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('section[aria-label="CA hierarchy"]')!.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
    expect(await page.getByRole('button', { name: 'Edit policy' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Generate CRL now/ }).count()).toBe(0);
    await page.getByRole('table', { name: 'CRL history' }).nth(1).waitFor();
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'community-390');
    await page.goto(`${url}/#/`);
    await page.getByRole('region', { name: 'Issued and revoked per day' }).getByText('Last 30 days (UTC): 3 issued, 1 revoked.').waitFor();
    const svgRight = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('svg[role="img"]')).map((s) => s.getBoundingClientRect().right)));
    expect(svgRight).toBeLessThanOrEqual(390);
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'dashboard-390');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a member admin neither the hierarchy nor the charts', async () => {
    const { context, page, problems } = await signIn(memberAdmin);
    await page.getByRole('region', { name: 'Pending certificate requests' }).waitFor();
    expect(await page.getByRole('region', { name: 'Issued and revoked per day' }).count()).toBe(0);
    await page.goto(`${url}/#/communities/${community.id}/show`);
    await page.getByText('Exchange purposes (client URI fragments)').waitFor();
    await page.getByRole('button', { name: 'Copy the trust bundle link' }).waitFor();
    expect(await page.getByRole('region', { name: 'CA hierarchy' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
