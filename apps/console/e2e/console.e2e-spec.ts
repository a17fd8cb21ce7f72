// The operator console in a real browser (Debian's Chromium via playwright-core) against a stand-in API.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONSOLE_DIST, ensureConsoleBuilt, REPO_ROOT } from './build-console';
import { ids } from './fixtures';
import { startStandIn, TEST_TOKEN, type StandIn } from './stand-in-api';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test-output/screenshots');
// Skipping is only for a developer machine without Chromium; CI must run this (scripts/ensure-chromium.sh).
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`console browser test skipped: ${CHROMIUM} not found (install it with scripts/ensure-chromium.sh)`);

(skip ? describe.skip : describe)('console in Chromium', () => {
  let api: StandIn;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true, animations: 'disabled' });
  const noRawJson = async () => expect(await page.locator('body').innerText()).not.toMatch(/[{[]\s*"(type|title|status|detail)"/);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; run scripts/ensure-chromium.sh`);
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    api = await startStandIn(CONSOLE_DIST);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 180_000);

  afterEach(() => expect(pageErrors).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in with an operator API token, and a wrong one gets a readable error', async () => {
    await page.goto(`${api.url}/`);
    const token = page.getByLabel('Operator API token');
    await token.waitFor();
    await shot('login');

    await token.fill('anc_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'did not accept this token' });
    await expect(alert.innerText()).resolves.toContain('a valid operator API token is required');
    await noRawJson();
    await shot('login-error');

    await token.fill(TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Example Trust Community').first().waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('https://trust.example.org/community');
    await shot('communities');
  });

  it('shows a community with its CAs and their public certificate and CRL links', async () => {
    await page.getByText('Example Trust Community').first().click();
    await page.getByText('CN=Example Trust Community Issuing CA').waitFor();
    const certLinks = page.getByRole('link', { name: 'CA certificate' });
    await expect(certLinks.nth(1).getAttribute('href')).resolves.toBe(`http://127.0.0.1/pki/ca/${ids.issuingCa}.crt`);
    await expect(page.getByRole('link', { name: 'CRL', exact: true }).nth(1).getAttribute('href')).resolves.toBe(`http://127.0.0.1/pki/crl/${ids.issuingCa}.crl`);
    await page.getByText('Sunrise Clinic').waitFor();
    await shot('community-show');
  });

  it('filters certificates by serial and shows one with its PEM chain', async () => {
    await page.getByRole('menuitem', { name: 'Certificates' }).click();
    await page.getByText('0c2d').waitFor();
    await page.getByLabel('Serial (hex)').fill('0a1b');
    await page.getByRole('cell', { name: '0c2d' }).waitFor({ state: 'detached' });
    const listCall = api.calls.filter((c) => c.path === '/api/v1/certificates').at(-1)!;
    expect(JSON.parse(listCall.query.get('filter')!)).toEqual({ serial: '0a1b' });

    await page.getByRole('cell', { name: '0a1b' }).click();
    await page.getByText('Certificate chain (PEM)').waitFor();
    const main = await page.locator('main').innerText();
    expect(main).toContain('0a1b');
    expect(main).toContain('issued');
    expect(main).toContain('https://fhir.sunrise.example/r4');
    expect(main).toContain('-----BEGIN CERTIFICATE-----');
    for (const name of ['Copy PEM chain', 'Download PEM chain', 'Download x5c JSON']) await page.getByRole('button', { name }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download x5c JSON' }).click();
    expect((await download).suggestedFilename()).toBe('0a1b-x5c.json');
    await shot('certificate-show');
  });

  it('shows the problem detail when revoking a certificate that is already revoked', async () => {
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').click();
    await page.getByRole('option', { name: 'keyCompromise' }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('certificate 0a1b is already revoked').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await noRawJson();
    const revoke = api.calls.find((c) => c.method === 'POST' && c.path === `/api/v1/certificates/${ids.revokedElsewhere}/revoke`);
    expect(revoke?.body).toEqual({ reason: 'keyCompromise' });
    await shot('revoke-error');
  });

  it('releases a hold and reports the CRL that no longer lists it', async () => {
    await page.goto(`${api.url}/#/certificates/${ids.onHold}/show`);
    await page.getByText('(certificateHold)').waitFor();
    await shot('on-hold');
    await page.getByRole('button', { name: 'Release hold' }).click();
    await page.getByText('Hold on 0c2d released; CRL #7 no longer lists it').waitFor();
    expect(api.calls.some((c) => c.method === 'POST' && c.path === `/api/v1/certificates/${ids.onHold}/release-hold`)).toBe(true);
  });
});
