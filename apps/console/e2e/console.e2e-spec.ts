// The console in a real browser (Debian's Chromium via playwright-core) against a stand-in API:
// sign-in (and its errors), the access token's refresh, sign-out, and what each role sees; the
// onboarding screens: invitations, the invitation page, the member's profile form (field errors from
// the problem document), endpoint checks, the operator's review, and certificate requests (a key and
// CSR generated in the browser, checked with OpenSSL; the row actions each role gets).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OPERATOR_REASONS, SUBSCRIBER_REASONS } from '@anchorage/contracts';
import { encodeQr } from '../src/two-factor/qr';
import { CONSOLE_DIST, ensureConsoleBuilt } from './build-console';
import { CHROMIUM, SHOTS, skipWithoutChromium, FIXTURE_USERS } from './browser';
import { crlDer, ENDPOINT_CHECK_ERROR_TEXT, ids, INVITATION_TOKEN, invited, submittedProfile, USED_INVITATION_TOKEN } from './fixtures';
import {
  BOUNCING_EMAIL, ENROLL_CODE, ENROLL_SECRET, PASSWORD, REFRESH_COOKIE, SIGN_IN_REFUSED, STAND_IN_RECOVERY_CODES, startStandIn, TEST_TOKEN, THROTTLED_EMAIL, TOTP_CODE, type StandIn,
} from './stand-in-api';

const skip = skipWithoutChromium('console browser test');

const OPERATOR = FIXTURE_USERS.operator;
const AUDITOR = FIXTURE_USERS.auditor;
const MEMBER_ADMIN = FIXTURE_USERS.memberAdmin;
const DRAFT_ADMIN = FIXTURE_USERS.draftAdmin;
const OPERATOR_MENU = [
  'Dashboard', 'Communities', 'Organizations', 'Awaiting review', 'Invitations', 'Pending requests', 'Certificates', 'Certifications', 'Bulk revocations', 'Expiry notices', 'Revocation notices', 'Conformance', 'Users', 'Audit log', 'Queues',
];
const AUDITOR_MENU = ['Dashboard', 'Communities', 'Organizations', 'Invitations', 'Certificate requests', 'Certificates', 'Certifications', 'Bulk revocations', 'Expiry notices', 'Revocation notices', 'Conformance', 'Users', 'Audit log', 'Queues'];
const MEMBER_MENU = ['Dashboard', 'My organization', 'My requests', 'My certificates', 'Certifications', 'Bulk revocations', 'Expiry notices', 'Revocation notices'];

(skip ? describe.skip : describe)('console in Chromium', () => {
  let api: StandIn;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true, animations: 'disabled' });
  const noRawJson = async () => expect(await page.locator('body').innerText()).not.toMatch(/[{[]\s*"(type|title|status|detail)"/);
  const since = (mark: number) => api.calls.slice(mark);

  const fillSignIn = async (email: string, password = PASSWORD, code = '') => {
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByLabel('Authenticator code').fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };
  /** The sidebar's entries (the user menu is closed). */
  const menuItems = async (first: string) => {
    await page.getByRole('menuitem', { name: first }).waitFor();
    return page.getByRole('menuitem').allInnerTexts();
  };
  const openUserMenu = () => page.getByRole('button', { name: /^Profile/ }).click();
  const signOut = async () => {
    await openUserMenu();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByLabel('E-mail').waitFor();
  };
  /** The filters behind "Add filter" (the menu is closed again afterwards). */
  const filterChoices = async () => {
    await page.getByRole('button', { name: 'Add filter' }).click();
    const items = page.locator('.MuiPopover-root [role="menuitemcheckbox"]');
    await items.first().waitFor();
    const texts = await items.allInnerTexts();
    await page.keyboard.press('Escape');
    await page.locator('.MuiPopover-root').waitFor({ state: 'detached' });
    return texts.map((t) => t.trim());
  };
  const alertText = (hasText: string) => page.getByRole('alert').filter({ hasText }).innerText();
  /** The passphrase the wizard asks for before it generates (and keeps, encrypted) a key in the browser. */
  const keyPassphrase = async () => {
    await page.getByLabel('Key passphrase', { exact: true }).fill('stand-in key pass phrase');
    await page.getByLabel('Confirm key passphrase', { exact: true }).fill('stand-in key pass phrase');
  };
  const stored = () => page.evaluate(() => sessionStorage.getItem('anchorage.session'));
  /** Waits for a list call to `path` with `filter` after call number `mark` (react-admin may show cached rows first). */
  const waitForList = async (mark: number, path: string, filter: Record<string, string>) => {
    const matches = () => since(mark).some((c) => c.method === 'GET' && c.path === path && JSON.stringify(JSON.parse(c.query.get('filter') ?? '{}')) === JSON.stringify(filter));
    for (const end = Date.now() + 10_000; !matches(); await page.waitForTimeout(50)) {
      if (Date.now() > end) throw new Error(`no GET ${path} with filter ${JSON.stringify(filter)}`);
    }
  };
  const lastCall = (method: string, path: string) => api.calls.filter((c) => c.method === method && c.path === path).at(-1);
  /** Signs out whoever is signed in, and signs `email` in. */
  const switchUser = async (email: string, code = '') => {
    // react-admin hides the app bar (with the Profile button) while the page is scrolled down: the sidebar tells who is signed in
    await page.evaluate(() => window.scrollTo(0, 0));
    if (await page.getByRole('menuitem', { name: 'Dashboard' }).count()) await signOut();
    await fillSignIn(email, PASSWORD, code);
    await page.getByRole('button', { name: /^Profile/ }).waitFor();
  };
  /** The helper text MUI links to a field (where field errors show). */
  const helperOf = async (label: string) => {
    const field = page.getByLabel(label, { exact: true });
    const described = await field.getAttribute('aria-describedby');
    return { invalid: await field.getAttribute('aria-invalid'), text: described ? (await page.locator(`[id="${described}"]`).innerText()).trim() : '' };
  };
  /** `openssl req -verify -text` of a PEM CSR. */
  const opensslReq = (pem: string) => {
    const r = spawnSync('openssl', ['req', '-verify', '-noout', '-text'], { input: pem, encoding: 'utf8' });
    return { status: r.status, text: r.stdout + r.stderr };
  };
  const refreshCookie = async () => (await page.context().cookies()).find((c) => c.name === REFRESH_COOKIE);

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

  it('shows the sign-in form, and a refused sign-in or a rate limit gets the problem detail', async () => {
    await page.goto(`${api.url}/`);
    await page.getByLabel('E-mail').waitFor();
    await expect(page.locator('body').innerText()).resolves.toContain('Required for operators and auditors');
    await shot('login');

    const mark = api.calls.length;
    await fillSignIn(OPERATOR, 'not the password', TOTP_CODE);
    await expect(alertText('Could not sign in')).resolves.toBe(`Could not sign in: ${SIGN_IN_REFUSED}`);
    await noRawJson();
    await shot('login-error');
    // an operator without a code is refused the same way; an empty code is not sent at all
    await fillSignIn(OPERATOR);
    await page.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
    const logins = since(mark).filter((c) => c.path === '/api/v1/auth/login');
    expect(logins.map((c) => [c.status, c.body])).toEqual([
      [401, { email: OPERATOR, password: 'not the password', code: TOTP_CODE }],
      [401, { email: OPERATOR, password: PASSWORD }],
    ]);

    await fillSignIn(THROTTLED_EMAIL);
    await expect(alertText('try again')).resolves.toBe('Could not sign in: too many sign-in attempts from this address; try again in 42 s');
    expect(await stored()).toBeNull();
  });

  it('signs in with an operator API token, and a wrong one gets a readable error', async () => {
    await page.getByRole('button', { name: 'Sign in with an operator API token' }).click();
    const token = page.getByLabel('Operator API token');
    await token.fill('anc_wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'did not accept this token' });
    await expect(alert.innerText()).resolves.toContain('send an operator API token');
    await noRawJson();
    await shot('login-token-error');

    await token.fill(TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('table', { name: 'CRL freshness' }).waitFor();
    expect(await menuItems('Users')).toEqual(OPERATOR_MENU);
    await page.getByRole('button', { name: 'Profile' }).filter({ hasText: 'Operator API token' }).waitFor();
    // an API token has no second factor to set up, and signing out is only forgetting it
    await openUserMenu();
    await page.getByRole('menuitem', { name: 'Logout' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Two-factor authentication' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    const mark = api.calls.length;
    await signOut();
    expect(since(mark).filter((c) => c.path.startsWith('/api/v1/auth/'))).toEqual([]);
    expect(await stored()).toBeNull();
  });

  it('signs in as an operator with e-mail, password and authenticator code', async () => {
    const mark = api.calls.length;
    await fillSignIn(OPERATOR, PASSWORD, '123 456');
    await page.getByRole('table', { name: 'CRL freshness' }).waitFor();
    expect(await menuItems('Users')).toEqual(OPERATOR_MENU);
    await page.getByRole('menuitem', { name: 'Communities' }).click();
    await page.getByText('https://trust.example.org/community').waitFor();
    await page.getByRole('button', { name: 'Profile' }).filter({ hasText: 'Olivia Operator' }).waitFor();
    const calls = since(mark);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/login', status: 200, body: { email: OPERATOR, password: PASSWORD, code: TOTP_CODE } });
    // the access token travels as the bearer; the refresh token only in the httpOnly cookie
    const list = calls.find((c) => c.path === '/api/v1/communities')!;
    expect(list.authorization).toMatch(/^Bearer at-operator-\d+$/);
    expect(list.cookie).toBe(false);
    expect(await refreshCookie()).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(await stored()).not.toContain('rt-');
    await shot('communities');
  });

  it('shows a community with its CAs and their public certificate and CRL links', async () => {
    await page.getByRole('cell', { name: 'Example Trust Community', exact: true }).click();
    // (named twice: in the CA hierarchy picture and on its CA card)
    await page.getByText('CN=Example Trust Community Issuing CA').first().waitFor();
    const certLinks = page.getByRole('link', { name: 'CA certificate' });
    await expect(certLinks.nth(1).getAttribute('href')).resolves.toBe(`http://127.0.0.1/pki/ca/${ids.issuingCa}.crt`);
    await expect(page.getByRole('link', { name: 'CRL', exact: true }).nth(1).getAttribute('href')).resolves.toBe(`http://127.0.0.1/pki/crl/${ids.issuingCa}.crl`);
    await page.getByText('Sunrise Clinic').waitFor();
    await shot('community-show');
  });

  it('lists a CA\'s CRL history and downloads a CRL with the bearer token, never a token in the URL', async () => {
    const history = page.getByRole('table', { name: 'CRL history' });
    await history.getByRole('row').filter({ hasText: '#6' }).waitFor();
    const rows = await history.getByRole('row').allInnerTexts();
    expect(rows.slice(1).map((r) => r.trim().split(/\s+/)[0])).toEqual(['#7', '#6']);
    expect(rows[2]).toMatch(/\s2\s+Download CRL #6/); // CRL #6 lists two entries
    const mark = api.calls.length;
    const download = page.waitForEvent('download');
    await history.getByRole('button', { name: 'Download CRL #6' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('crl-6.crl');
    expect(readFileSync((await file.path())!)).toEqual(crlDer('6'));
    const get = since(mark).find((c) => c.path === `/api/v1/cas/${ids.issuingCa}/crls/6`)!;
    expect(get).toMatchObject({ method: 'GET', status: 200 });
    expect(get.authorization).toMatch(/^Bearer at-operator-\d+$/);
    expect([...get.query.keys()]).toEqual([]);
  });

  it('shows an operator the dashboard: figures linking to their lists, CRL freshness by colour, and certificates about to expire', async () => {
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
    const freshness = page.getByRole('table', { name: 'CRL freshness' });
    await freshness.waitFor();
    await page.getByRole('region', { name: 'Pending certificate requests' }).getByText('3', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Organizations awaiting review' }).getByText('1', { exact: true }).waitFor();
    const row = (subject: string) => freshness.getByRole('row').filter({ hasText: subject });
    const root = row('Example Trust Community Root CA');
    const issuing = row('Example Trust Community Issuing CA');
    const lapsed = row('Lapsed Community Issuing CA');
    await expect(root.getAttribute('data-freshness')).resolves.toBe('ok');
    await expect(issuing.getAttribute('data-freshness')).resolves.toBe('warning');
    await expect(lapsed.getAttribute('data-freshness')).resolves.toBe('error');
    await expect(issuing.getByRole('cell').last().innerText()).resolves.toBe('5 h 0 min');
    await expect(lapsed.getByRole('cell').last().innerText()).resolves.toBe('expired 1 h 0 min ago');
    await expect(root.getByRole('cell').last().innerText()).resolves.toBe('20 d 0 h');
    const colour = (r: typeof root) => r.getByRole('cell').last().evaluate((el) => getComputedStyle(el).color);
    const [ok, warning, error] = [await colour(root), await colour(issuing), await colour(lapsed)];
    expect(new Set([ok, warning, error]).size).toBe(3);
    expect(warning).toBe('rgb(154, 74, 0)'); // the console theme's warning.main (layout/theme.ts: 6.3:1 on white)
    expect(error).toBe('rgb(183, 28, 28)'); // the console theme's error.main (6.6:1 on white, 5.2:1 on the bulk-action toolbar)
    const expiring = page.getByRole('table', { name: 'Expiring certificates' });
    await expect(expiring.getByRole('row').nth(1).innerText()).resolves.toContain('https://fhir.sunrise.example/r4');
    await expect(page.getByText('Certificates expiring within 30 days: 1').count()).resolves.toBe(1);
    // the charts, on the stand-in's spread-out figures (stand-in-charts.ts)
    await page.getByRole('region', { name: 'Issued and revoked per day' }).getByText('Last 30 days (UTC): 10 issued, 1 revoked.').waitFor();
    await page.getByRole('region', { name: 'Certificates expiring by week' }).getByText('Next 12 weeks: 3 certificates expire.').waitFor();
    await page.getByRole('region', { name: 'CRL size and freshness, last 30 days' }).getByRole('img', { name: /^Freshness of CN=Example Trust Community Issuing CA's CRL: / }).waitFor();
    await shot('dashboard');
    await expiring.getByRole('link', { name: '0f4a' }).click();
    await page.waitForURL(`**/#/certificates/${ids.revocable}/show`);
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: 'Pending certificate requests' }).click();
    await page.waitForURL(/#\/certificate-requests\?filter=/);
    expect(JSON.parse(new URL(page.url().replace('#/', '')).searchParams.get('filter')!)).toEqual({ status: 'submitted' });
  });

  it('shows operators of every community the audit log: newest first, server paging and sorting, filters, the detail drawer, exports and the chain check', async () => {
    const events = '/api/v1/audit/events';
    const lastQuery = (mark: number, path = events) => Object.fromEntries(since(mark).filter((c) => c.path === path).at(-1)!.query);
    const waitFirst = (seq: string) => page.waitForFunction((s) => document.querySelector('table[aria-label="Audit events"] tbody tr td')?.textContent === s, seq);
    let mark = api.calls.length;
    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.getByRole('row').filter({ hasText: 'organization.approved' }).first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(25);
    // newest first: event 60 (i = 59: organization.approved by the operator)
    await expect(table.locator('tbody tr').first().innerText()).resolves.toMatch(new RegExp(`^60\\s.+\\s${ids.operator}\\s+organization\\.approved\\s+organization ${ids.org}$`));
    expect(lastQuery(mark)).toEqual({ range: '[0,24]', sort: '["seq","DESC"]', filter: '{}' });
    await page.getByText('1–25 of 60').waitFor();

    mark = api.calls.length;
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await waitFirst('35');
    expect(lastQuery(mark)).toEqual({ range: '[25,49]', sort: '["seq","DESC"]', filter: '{}' });
    await page.getByText('26–50 of 60').waitFor();

    // sorting by time starts again at the first page, newest first, then oldest first
    mark = api.calls.length;
    await table.getByRole('button', { name: 'Time' }).click();
    await waitFirst('60');
    expect(lastQuery(mark)).toMatchObject({ range: '[0,24]', sort: '["at","DESC"]' });
    await table.getByRole('button', { name: 'Time' }).click();
    await waitFirst('1');
    expect(lastQuery(mark)).toMatchObject({ range: '[0,24]', sort: '["at","ASC"]' });
    await table.getByRole('button', { name: 'Seq' }).click();
    await waitFirst('60');

    // full text reaches into the payload; the drawer shows it, the chain links and the subject's page
    mark = api.calls.length;
    await page.getByLabel('Search', { exact: true }).fill('needle');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitFirst('42');
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(JSON.parse(lastQuery(mark).filter)).toEqual({ q: 'needle' });
    await table.locator('tbody tr').first().click();
    const drawer = page.getByRole('region', { name: 'Audit event' });
    await drawer.waitFor();
    const text = await drawer.innerText();
    expect(text).toMatch(/Chain seq\s+42\s/);
    expect(text).toMatch(new RegExp(`\\bHash\\s+${'2'.repeat(64)}\\s`));
    expect(text).toMatch(new RegExp(`Previous hash\\s+${'1'.repeat(64)}\\s`));
    expect(await drawer.getByLabel('Payload').innerText()).toBe(JSON.stringify({ reason: 'needle in the payload', serial: '0f4a' }, null, 2));
    expect(await drawer.getByRole('link', { name: `organization ${ids.org}` }).getAttribute('href')).toBe(`#/organizations/${ids.org}/show`);
    await shot('audit-detail');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'detached' });

    mark = api.calls.length;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Actor', { exact: true }).fill(ids.operator);
    await page.getByLabel('Action', { exact: true }).fill('organization.');
    await page.getByLabel('From (UTC)').fill('2025-06-01');
    await page.getByLabel('To (UTC, inclusive)').fill('2025-06-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1–20 of 20').waitFor();
    // the last day shown is inclusive: the API gets the day after, exclusive
    expect(JSON.parse(lastQuery(mark).filter)).toEqual({ actor: ids.operator, action: 'organization.', from: '2025-06-01', to: '2025-06-02' });
    expect(await table.locator('tbody tr').count()).toBe(20);
    const actions = await table.locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(new Set(actions)).toEqual(new Set(['organization.approved']));

    // the exports carry the same filter and order, and hold the filtered set
    for (const [button, format, lines] of [['Export CSV', 'csv', 21], ['Export JSON lines', 'jsonl', 20]] as const) {
      mark = api.calls.length;
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(`audit-events.${format}`);
      const body = readFileSync((await file.path())!, 'utf8');
      expect(body.trimEnd().split(/\r?\n/)).toHaveLength(lines);
      const q = lastQuery(mark, `${events}/export`);
      expect([q.format, q.sort, JSON.parse(q.filter)]).toEqual([format, '["seq","DESC"]', { actor: ids.operator, action: 'organization.', from: '2025-06-01', to: '2025-06-02' }]);
    }

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('Chain intact: 60 events').waitFor();
    await shot('audit');
    api.breakAuditChain(true);
    try {
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText('Chain broken at event 42: hash does not match the event (41 events checked)').waitFor();
    } finally {
      api.breakAuditChain(false);
    }
    expect(api.calls.filter((c) => c.path === '/api/v1/audit/verify').map((c) => c.status)).toEqual([200, 200]);
  });

  it('filters certificates by serial and shows one with its PEM chain', async () => {
    await page.getByRole('menuitem', { name: 'Certificates' }).click();
    await page.getByText('0c2d').waitFor();
    await page.getByText('0e3f').waitFor(); // an operator sees every organization's
    await expect(filterChoices()).resolves.toEqual(['SAN URI', 'Organization']);
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

  it('offers an operator every operator reason, and shows the problem detail when the certificate is already revoked', async () => {
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual([...OPERATOR_REASONS]);
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

  it('renews an expired access token once through the refresh cookie and retries the calls', async () => {
    const before = JSON.parse((await stored())!).accessToken as string;
    api.expireAccessTokens();
    const mark = api.calls.length;
    await page.getByRole('menuitem', { name: 'Organizations' }).click();
    await page.getByRole('cell', { name: 'Harbor Labs' }).waitFor();
    const calls = since(mark);
    const refreshes = calls.filter((c) => c.path === '/api/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ method: 'POST', status: 200, cookie: true });
    expect(refreshes[0].authorization).toBeUndefined();
    const after = JSON.parse((await stored())!).accessToken as string;
    expect(after).not.toBe(before);
    const lists = calls.filter((c) => c.path === '/api/v1/organizations');
    expect(lists.map((c) => [c.status, c.authorization])).toEqual([[401, `Bearer ${before}`], [200, `Bearer ${after}`]]);
    expect(page.url()).not.toContain('login');
  });

  it('lists users, and an operator creates another operator whose TOTP secret is shown once', async () => {
    await page.getByRole('menuitem', { name: 'Users' }).click();
    const row = page.getByRole('row').filter({ hasText: MEMBER_ADMIN });
    await row.waitFor();
    await row.getByText('Sunrise Clinic').waitFor();
    await expect(row.innerText()).resolves.toMatch(/Mia Member\s+Member admin\s+Sunrise Clinic\s+off\s+no/);
    await expect(page.getByRole('row').filter({ hasText: OPERATOR }).innerText()).resolves.toMatch(/Operator\s+—\s+on\s+no/);
    await expect(page.getByRole('row').filter({ hasText: 'lars@' }).innerText()).resolves.toMatch(/on\s+until /);
    await shot('users');

    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Display name').waitFor(); // the list's "Sort by e-mail" header is labelled E-mail too
    await page.getByLabel('E-mail').fill('nora@anchorage.example');
    await page.getByLabel('Display name').fill('Nora New');
    await page.getByLabel('Initial password').fill('too short');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('At least 12 characters', { exact: true }).waitFor();
    await page.getByLabel('Initial password').fill('a long initial password');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', { exact: true }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('otpauth://totp/Anchorage:nora%40anchorage.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    await expect(page.locator('main').innerText()).resolves.toContain('Give this secret and the recovery codes to Nora New');
    expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allInnerTexts()).toEqual(STAND_IN_RECOVERY_CODES);
    const create = api.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/users');
    expect(create.map((c) => c.body)).toEqual([
      { email: 'nora@anchorage.example', displayName: 'Nora New', role: 'operator', password: 'a long initial password', communities: 'all' },
    ]);
    await shot('user-created');

    await page.getByRole('button', { name: 'Show user' }).click();
    await page.getByText('all communities').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('GEZDGNBVGY3TQOJQ');
  });

  it('creates a member admin of an organization, with no secret to show', async () => {
    await page.goto(`${api.url}/#/users/create`);
    await page.getByLabel('E-mail').fill('max@sunrise.example');
    await page.getByLabel('Display name').fill('Max Member');
    await page.getByLabel('Role').click();
    await page.getByRole('option', { name: 'Member admin' }).click();
    await page.getByLabel('Organization').click();
    await page.getByRole('option', { name: 'Sunrise Clinic' }).click();
    await page.getByLabel('Initial password').fill('another long password');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Member admin max@sunrise.example created').waitFor();
    await page.getByText('Max Member').first().waitFor();
    const create = api.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/users').at(-1)!;
    expect(create.body).toEqual({ email: 'max@sunrise.example', displayName: 'Max Member', role: 'member-admin', password: 'another long password', organizationId: ids.org });
  });

  it('signs out with an expired access token: the refresh cookie still ends the session, with no refresh first', async () => {
    const token = JSON.parse((await stored())!).accessToken as string;
    api.expireAccessTokens();
    const mark = api.calls.length;
    await signOut();
    const auth = since(mark).filter((c) => c.path.startsWith('/api/v1/auth/'));
    expect(auth.map((c) => [c.method, c.path, c.status, c.cookie])).toEqual([
      ['POST', '/api/v1/auth/sessions/current/end', 401, true],
      ['POST', '/api/v1/auth/logout', 204, true],
    ]);
    expect(auth[0].authorization).toBe(`Bearer ${token}`);
    expect(await stored()).toBeNull();
    expect(await refreshCookie()).toBeUndefined();
  });

  it('shows an auditor the same screens without revoke, release-hold or create', async () => {
    // an auditor, like an operator, is refused without its code
    await fillSignIn(AUDITOR);
    await page.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
    await fillSignIn(AUDITOR, PASSWORD, TOTP_CODE);
    expect(await menuItems('Users')).toEqual(AUDITOR_MENU);
    await page.goto(`${api.url}/#/certificates/${ids.revocable}/show`);
    await page.getByText('Certificate chain (PEM)').waitFor();
    await page.getByRole('button', { name: 'Download PEM chain' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await shot('auditor-certificate');
    await page.goto(`${api.url}/#/certificates/${ids.onHold}/show`);
    await page.getByText('(certificateHold)').waitFor();
    expect(await page.getByRole('button', { name: 'Release hold' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page.getByRole('row').filter({ hasText: MEMBER_ADMIN }).waitFor();
    expect(await page.getByRole('link', { name: 'Create' }).count()).toBe(0);
    await page.goto(`${api.url}/#/users/create`);
    await page.getByText("You don't have the right permissions to access this page").waitFor();
    expect(await page.getByLabel('Initial password').count()).toBe(0);
    expect(api.calls.filter((c) => c.method === 'POST' && c.authorization?.includes('at-auditor') && !c.path.startsWith('/api/v1/auth/'))).toEqual([]);

    // signing out ends the session by its access token, then clears the (already ended) cookie
    const token = JSON.parse((await stored())!).accessToken as string;
    const mark = api.calls.length;
    await signOut();
    const auth = since(mark).filter((c) => c.path.startsWith('/api/v1/auth/'));
    expect(auth.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/api/v1/auth/sessions/current/end', 204],
      ['POST', '/api/v1/auth/logout', 204],
    ]);
    expect(auth[0].authorization).toBe(`Bearer ${token}`);
    expect(await stored()).toBeNull();
    expect(await refreshCookie()).toBeUndefined();
  });

  it('shows a member admin its organization and certificates only, and revokes with subscriber reasons only', async () => {
    await fillSignIn(MEMBER_ADMIN);
    expect(await menuItems('My organization')).toEqual(MEMBER_MENU);
    // the first page is the dashboard with its own figures, then the organization itself, with its certificates
    await page.getByRole('region', { name: 'Pending certificate requests' }).getByText('1', { exact: true }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Audit log' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: 'My organization' }).click();
    await page.waitForURL(/#\/organizations/);
    await page.locator('main').getByText('Sunrise Clinic').first().waitFor();
    await page.locator('main').getByText('https://fhir.sunrise.example/r4').first().waitFor();

    await page.getByRole('menuitem', { name: 'My certificates' }).click();
    // navigations render in a transition: the organization page (which lists the certificates too) may still show
    await page.getByLabel('Serial (hex)').waitFor();
    await page.getByRole('cell', { name: '0f4a' }).waitFor();
    const serials = await page.locator('tbody tr td.column-serial').allInnerTexts();
    expect(serials.sort()).toEqual(['0a1b', '0c2d', '0f4a']);
    await shot('member-certificates');
    await expect(filterChoices()).resolves.toEqual(['SAN URI']); // no organization filter: it has one

    await page.getByRole('cell', { name: '0c2d' }).click();
    await page.getByText('(certificateHold)').waitFor();
    expect(await page.getByRole('button', { name: 'Release hold' }).count()).toBe(0);

    await page.goto(`${api.url}/#/certificates/${ids.revocable}/show`);
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('reasons a subscriber may claim').waitFor();
    await dialog.getByLabel('Reason').click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual([...SUBSCRIBER_REASONS]);
    await page.getByRole('option', { name: 'superseded' }).click();
    await shot('member-revoke');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Certificate 0f4a revoked (superseded); CRL #7 lists it').waitFor();
    const revoke = api.calls.filter((c) => c.method === 'POST' && c.path === `/api/v1/certificates/${ids.revocable}/revoke`).at(-1)!;
    expect(revoke).toMatchObject({ status: 200, body: { reason: 'superseded' } });
    expect(revoke.authorization).toMatch(/^Bearer at-member-admin-/);
  });

  it('lets a member admin turn on two-factor authentication from the user menu; a wrong code is explained', async () => {
    await openUserMenu();
    await page.getByRole('menuitem', { name: 'Two-factor authentication' }).click();
    await page.getByRole('button', { name: 'Start setup' }).click();
    await page.getByText(ENROLL_SECRET, { exact: true }).waitFor();
    const uri = (await page.getByLabel('otpauth URI', { exact: true }).innerText()).trim();
    expect(uri).toBe(`otpauth://totp/Anchorage:mia%40sunrise.example?secret=${ENROLL_SECRET}&issuer=Anchorage`);
    // the QR code drawn is the symbol of that URI (the encoder is checked against reference symbols in qr.spec.ts)
    const qr = page.getByRole('img', { name: 'QR code for the authenticator app' });
    const drawn = new Set([...(await qr.locator('path').getAttribute('d'))!.matchAll(/M(\d+) (\d+)/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`));
    const expected = encodeQr(uri);
    expect(drawn).toEqual(new Set(expected.modules.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`${x},${y}`] : [])))));
    expect(await qr.getAttribute('viewBox')).toBe(`0 0 ${expected.size + 8} ${expected.size + 8}`);
    await shot('two-factor-qr');
    await qr.screenshot({ path: join(SHOTS, 'console-two-factor-qr-code.png') });
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(alertText('does not match')).resolves.toBe('the code does not match: check the time on your device and enter the current code');
    await noRawJson();
    await shot('two-factor-error');
    await page.getByLabel('Code from the app').fill(ENROLL_CODE);
    await page.getByRole('button', { name: 'Confirm' }).click();
    // the recovery codes, shown once
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    expect(await list.getByRole('listitem').allInnerTexts()).toEqual(STAND_IN_RECOVERY_CODES);
    await shot('recovery-codes');
    const confirms = api.calls.filter((c) => c.path === '/api/v1/auth/totp/confirm');
    expect(confirms.map((c) => [c.status, c.body])).toEqual([[400, { code: '000000' }], [200, { code: ENROLL_CODE }]]);
    await page.getByRole('button', { name: 'I have stored the codes' }).click();
    await page.getByText('Two-factor authentication is on for mia@sunrise.example: every sign-in asks').waitFor();
    await expect(page.getByLabel('Recovery codes left').innerText()).resolves.toBe('10 of 10 recovery codes left.');
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);
    // the page stays in the user menu, for the recovery codes
    await openUserMenu();
    await page.getByRole('menuitem', { name: 'Logout' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Two-factor authentication' }).count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('sends a session that can no longer be refreshed back to the sign-in page', async () => {
    api.expireAccessTokens();
    api.endAllSessions();
    const mark = api.calls.length;
    await page.getByRole('menuitem', { name: 'My certificates' }).click();
    await page.getByLabel('E-mail').waitFor();
    expect(since(mark).filter((c) => c.path === '/api/v1/auth/refresh').map((c) => c.status)).toEqual([401]);
    expect(await stored()).toBeNull();
    // and the member admin, now with TOTP, needs its code to come back
    await fillSignIn(MEMBER_ADMIN);
    await page.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
    await fillSignIn(MEMBER_ADMIN, PASSWORD, TOTP_CODE);
    await page.getByRole('menuitem', { name: 'My certificates' }).waitFor();
  });

  it('lets a member admin request certificates with keys made in the browser: the CSRs verify with OpenSSL and name the SAN', async () => {
    await page.getByRole('menuitem', { name: 'My requests' }).click();
    await page.getByRole('columnheader', { name: 'Key' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'rejected' }).waitFor();
    // a member admin cancels its waiting request, and never approves
    const waiting = page.getByRole('row').filter({ hasText: 'submitted' });
    await waiting.getByRole('button', { name: 'Cancel request' }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    expect(await page.getByRole('row').filter({ hasText: 'issued' }).getByRole('button').count()).toBe(0);
    await shot('member-requests');

    await page.getByRole('link', { name: 'Request a certificate' }).click();
    await page.getByLabel('https://fhir.sunrise.example/r4').waitFor();
    expect(await page.getByLabel('https://fhir.sunrise.example/r4').isChecked()).toBe(true);
    // a server key must be RSA: only RSA 2048 of the community's EC-P256 and RSA-2048
    await page.getByLabel('Key type').click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual(['RSA 2048 (RSASSA-PKCS1-v1_5, SHA-256)']);
    await page.keyboard.press('Escape');
    await keyPassphrase();
    await shot('request-wizard');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('Certificate request submitted for https://fhir.sunrise.example/r4').waitFor();
    await page.getByText('Waiting for an operator').waitFor();
    const rsa = lastCall('POST', '/api/v1/certificate-requests')!;
    const rsaBody = rsa.body as Record<string, string>;
    expect(rsaBody).toMatchObject({ organizationId: ids.org, profile: 'udap-server', sanUris: ['https://fhir.sunrise.example/r4'], keyType: 'RSA-2048' });
    expect(rsaBody.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const rsaCsr = opensslReq(rsaBody.csr);
    expect(rsaCsr.status).toBe(0);
    expect(rsaCsr.text).toContain('self-signature verify OK');
    expect(rsaCsr.text).toMatch(/Subject: CN\s?=\s?Sunrise Clinic/);
    expect(rsaCsr.text).toContain('Public-Key: (2048 bit)');
    expect(rsaCsr.text).toContain('URI:https://fhir.sunrise.example/r4');
    expect(rsaCsr.text).toContain('sha256WithRSAEncryption');
    expect(rsa.authorization).toMatch(/^Bearer at-member-admin-/);

    // a client may have an EC P-256 key where the community allows it
    await page.goto(`${api.url}/#/certificate-requests/create`);
    await page.getByLabel(/^UDAP client/).check();
    await page.getByLabel('Key type').click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual(['RSA 2048 (RSASSA-PKCS1-v1_5, SHA-256)', 'ECDSA P-256 (SHA-256)']);
    await page.getByRole('option', { name: 'ECDSA P-256 (SHA-256)' }).click();
    await keyPassphrase();
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('Waiting for an operator').waitFor();
    const ec = lastCall('POST', '/api/v1/certificate-requests')!.body as Record<string, string>;
    expect(ec).toMatchObject({ profile: 'udap-client', keyType: 'EC-P256' });
    const ecCsr = opensslReq(ec.csr);
    expect(ecCsr.text).toContain('self-signature verify OK');
    expect(ecCsr.text).toMatch(/ASN1 OID: prime256v1/);
    expect(ecCsr.text).toContain('ecdsa-with-SHA256');
    expect(ecCsr.text).toContain('URI:https://fhir.sunrise.example/r4');
    // and withdraws it again
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.getByText('Request cancelled').waitFor();
    expect(api.calls.filter((c) => c.method === 'POST' && /\/certificate-requests\/[^/]+\/cancel$/.test(c.path)).map((c) => c.status)).toEqual([200]);

    // a CSR the API refuses: the problem's detail, no JSON
    await page.goto(`${api.url}/#/certificate-requests/create`);
    await page.getByLabel('Paste or upload a CSR').check();
    await page.getByLabel('CSR (PEM)').fill('this is not a CSR');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await expect(alertText('PKCS #10')).resolves.toBe('the CSR is not a PKCS #10 request: expected PEM "CERTIFICATE REQUEST" or DER');
    await noRawJson();
    // a CSR file made elsewhere (DER) goes as base64, without a key type
    const made = spawnSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=own',
      '-addext', 'subjectAltName=URI:https://fhir.sunrise.example/r4', '-outform', 'DER']);
    expect(made.status).toBe(0);
    await page.getByLabel('CSR file').setInputFiles({ name: 'own.der', mimeType: 'application/pkcs10', buffer: made.stdout });
    await page.getByText('own.der (DER)').waitFor();
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('Waiting for an operator').waitFor();
    const upload = lastCall('POST', '/api/v1/certificate-requests')!.body as Record<string, unknown>;
    expect(upload).toMatchObject({ profile: 'udap-server', sanUris: ['https://fhir.sunrise.example/r4'], csrDerBase64: made.stdout.toString('base64') });
    expect(upload.keyType).toBeUndefined();
    expect(upload.csr).toBeUndefined();
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.locator('main').getByText('cancelled', { exact: true }).waitFor();

    // "Renew" on a certificate: a new request with its SAN URIs and profile, and renewalOf
    await page.goto(`${api.url}/#/certificates/${ids.revocable}/show`);
    await page.getByRole('link', { name: 'Renew' }).click();
    await page.getByText('Renewing certificate 0f4a: same SAN URIs and profile (fixed), with a new key.').waitFor();
    await expect(page.getByLabel(/^UDAP client/).isChecked()).resolves.toBe(true);
    // the SAN URIs are shown, not offered: nothing to uncheck, and the profile is fixed
    await expect(page.getByRole('list', { name: 'SAN URIs of the renewal' }).innerText()).resolves.toBe('https://fhir.sunrise.example/r4');
    expect(await page.getByRole('region', { name: 'SAN URIs' }).getByRole('checkbox').count()).toBe(0);
    await expect(page.getByLabel(/^UDAP server/).isDisabled()).resolves.toBe(true);
    await keyPassphrase();
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('Waiting for an operator').waitFor();
    expect(lastCall('POST', '/api/v1/certificate-requests')!.body).toMatchObject({
      profile: 'udap-client', sanUris: ['https://fhir.sunrise.example/r4'], keyType: 'RSA-2048', renewalOf: ids.revocable,
    });
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.locator('main').getByText('cancelled', { exact: true }).waitFor();
  });

  it('opens an invitation link signed out: a used or unknown link says why, a live one creates the account and leads to sign-in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      await p.goto(`${api.url}/#/accept-invitation?token=${USED_INVITATION_TOKEN}`);
      await expect(p.getByRole('alert').innerText()).resolves.toBe('this invitation link was already used; ask the network operator for a new one');
      await p.goto(`${api.url}/#/accept-invitation?token=ani_unknown`);
      await p.getByRole('alert').filter({ hasText: 'is not valid' }).waitFor();
      expect(await p.locator('body').innerText()).not.toMatch(/[{[]\s*"(type|title|status|detail)"/);

      await p.goto(`${api.url}/#/accept-invitation?token=${INVITATION_TOKEN}`);
      await p.getByText(`You are invited to administer ${invited.organizationName} as ${invited.email}`).waitFor();
      await p.getByLabel('Display name').fill('Nina New');
      await p.getByLabel('Password', { exact: true }).fill('too short');
      await p.getByLabel('Confirm password').fill('something else');
      await p.getByRole('button', { name: 'Create my account' }).click();
      await p.getByText('The two passwords differ').waitFor();
      await p.getByText('At least 12 characters').first().waitFor();
      expect(api.calls.filter((c) => c.path === '/api/v1/invitations/accept')).toEqual([]);
      await p.getByLabel('Password', { exact: true }).fill('nina chooses a long password');
      await p.getByLabel('Confirm password').fill('nina chooses a long password');
      await p.screenshot({ path: join(SHOTS, 'console-accept-invitation.png'), fullPage: true, animations: 'disabled' });
      await p.getByRole('button', { name: 'Create my account' }).click();
      await p.getByText(`Your account ${invited.email} is ready`).waitFor();
      await expect(p.getByLabel('E-mail').inputValue()).resolves.toBe(invited.email);
      const accept = lastCall('POST', '/api/v1/invitations/accept')!;
      expect(accept).toMatchObject({ status: 201, body: { token: INVITATION_TOKEN, displayName: 'Nina New', password: 'nina chooses a long password' } });
      expect(accept.authorization).toBeUndefined();

      await p.goto(`${api.url}/#/accept-invitation?token=${INVITATION_TOKEN}`);
      await p.getByRole('alert').filter({ hasText: 'was already used' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows a draft organization\'s member admin the API\'s field errors under each field, then submits the profile and runs an endpoint check', async () => {
    await switchUser(DRAFT_ADMIN);
    expect(await menuItems('My organization')).toEqual(MEMBER_MENU);
    await page.getByRole('menuitem', { name: 'My organization' }).click();
    await page.getByText('Complete your organization\'s profile').waitFor();
    await expect(page.getByLabel('Legal name').inputValue()).resolves.toBe('Draft Dental');
    await page.getByLabel('Identifier 1 value').fill('12345');
    await page.getByLabel('Country').fill('usa');
    await page.getByLabel('Requested SAN URIs').fill('https://fhir.dental.example/r4\nnot a uri');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('alert').filter({ hasText: 'The profile was not submitted' }).waitFor();
    await expect(helperOf('Identifier 1 value')).resolves.toEqual({ invalid: 'true', text: 'is not a valid NPI (10 digits, Luhn check digit)' });
    await expect(helperOf('Country')).resolves.toEqual({ invalid: 'true', text: 'must be an ISO 3166-1 alpha-2 code such as US or NL' });
    await expect(helperOf('City')).resolves.toEqual({ invalid: 'true', text: 'is required' });
    await expect(helperOf('Address lines')).resolves.toEqual({ invalid: 'true', text: 'give 1 to 4 address lines' });
    await expect(helperOf('Technical contact e-mail')).resolves.toEqual({ invalid: 'true', text: 'must be an e-mail address' });
    await expect(helperOf('Requested SAN URIs')).resolves.toEqual({ invalid: 'true', text: 'not a uri is not an absolute http(s) URI in canonical form' });
    await expect(helperOf('Region')).resolves.toEqual({ invalid: 'false', text: 'Optional (state, province)' });
    await noRawJson();
    await shot('profile-errors');
    expect(lastCall('POST', `/api/v1/organizations/${ids.draftOrg}/submit`)).toMatchObject({
      status: 400,
      body: { legalName: 'Draft Dental', identifiers: [{ type: 'NPI', value: '12345' }], address: { lines: [], city: '', country: 'USA' }, requestedSanUris: ['https://fhir.dental.example/r4', 'not a uri'] },
    });

    await page.getByLabel('Identifier 1 value').fill('1234567893');
    await page.getByRole('button', { name: 'Add identifier' }).click();
    await page.getByLabel('Identifier 2 value').fill('2.16.840.1.113883.3.4242');
    await page.getByLabel('Address lines').fill('12 Molar Lane\nSuite 3');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Country').fill('US');
    for (const [who, name] of [['Technical', 'Tom Tech'], ['Security', 'Sue Sec']]) {
      await page.getByLabel(`${who} contact name`).fill(name);
      await page.getByLabel(`${who} contact e-mail`).fill(`${name.split(' ')[0].toLowerCase()}@dental.example`);
    }
    await page.getByLabel('Requested SAN URIs').fill('https://fhir.dental.example/r4');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('awaits review by an operator').waitFor();
    expect(lastCall('POST', `/api/v1/organizations/${ids.draftOrg}/submit`)).toMatchObject({
      status: 200,
      body: {
        legalName: 'Draft Dental', identifiers: [{ type: 'NPI', value: '1234567893' }, { type: 'OID', value: '2.16.840.1.113883.3.4242' }],
        address: { lines: ['12 Molar Lane', 'Suite 3'], city: 'Springfield', country: 'US' },
        technicalContact: { name: 'Tom Tech', email: 'tom@dental.example' }, securityContact: { name: 'Sue Sec', email: 'sue@dental.example' },
        requestedSanUris: ['https://fhir.dental.example/r4'],
      },
    });
    await page.getByRole('table', { name: 'Organization profile' }).getByText('2.16.840.1.113883.3.4242').waitFor();

    await page.getByRole('button', { name: 'Start check' }).click();
    await expect(page.getByLabel('Token for https://fhir.dental.example/r4').innerText()).resolves.toBe('anchorage-endpoint-check=stand-in-token-30');
    await expect(page.getByLabel('Publish URL for https://fhir.dental.example/r4').innerText()).resolves.toBe('https://fhir.dental.example/r4/.well-known/anchorage-endpoint-check');
    await page.getByRole('button', { name: 'Run check' }).click();
    await page.getByRole('table', { name: 'Endpoint checks' }).getByText(ENDPOINT_CHECK_ERROR_TEXT).waitFor();
    expect(api.calls.filter((c) => c.path === `/api/v1/organizations/${ids.draftOrg}/endpoint-checks` || c.path.endsWith('/endpoint-checks/run'))
      .filter((c) => c.method === 'POST').map((c) => [c.path.endsWith('/run') ? 'run' : 'start', c.body])).toEqual([
      ['start', { uri: 'https://fhir.dental.example/r4' }], ['run', { uri: 'https://fhir.dental.example/r4' }],
    ]);
    await shot('endpoint-check');
  });

  it('lets an operator invite contacts (a refused e-mail is explained) and withdraw a pending invitation', async () => {
    await switchUser(OPERATOR, TOTP_CODE);
    expect(await menuItems('Users')).toEqual(OPERATOR_MENU);
    await page.getByRole('menuitem', { name: 'Invitations' }).click();
    const pending = page.getByRole('row').filter({ hasText: 'pat@pharmacy.example' });
    await pending.getByText('Pending Pharmacy').waitFor();
    await expect(pending.getByText('pending', { exact: true }).count()).resolves.toBe(1);
    await page.getByRole('row').filter({ hasText: DRAFT_ADMIN }).getByText('accepted').waitFor();
    expect(await page.getByRole('row').filter({ hasText: DRAFT_ADMIN }).getByRole('button').count()).toBe(0);

    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Contact\'s e-mail').fill(BOUNCING_EMAIL);
    await page.getByLabel('Community').click();
    await page.getByRole('option', { name: 'Example Trust Community' }).click();
    await page.getByLabel('Organization name').fill('Bright Hospital');
    await shot('invitation-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`the mail server refused the message to ${BOUNCING_EMAIL}: 550 no such mailbox; nothing was stored, try again`).waitFor();
    await noRawJson();
    await page.getByLabel('Contact\'s e-mail').fill('olga@bright.example');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Invitation sent to olga@bright\.example for Bright Hospital/).waitFor();
    await page.getByRole('row').filter({ hasText: 'olga@bright.example' }).getByText('Bright Hospital').waitFor();
    const invites = api.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/invitations');
    expect(invites.map((c) => [c.status, c.body])).toEqual([
      [502, { email: BOUNCING_EMAIL, communityId: ids.community, organizationName: 'Bright Hospital' }],
      [201, { email: 'olga@bright.example', communityId: ids.community, organizationName: 'Bright Hospital' }],
    ]);

    // an existing organization: only its id goes along
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Contact\'s e-mail').fill('hugo@harbor.example');
    await page.getByLabel('An existing organization').check();
    await page.getByLabel('Organization', { exact: false }).last().click();
    await page.getByRole('option', { name: 'Harbor Labs' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Invitation sent to hugo@harbor\.example for Harbor Labs/).waitFor();
    expect(lastCall('POST', '/api/v1/invitations')!.body).toEqual({ email: 'hugo@harbor.example', organizationId: ids.otherOrg });

    await page.getByRole('row').filter({ hasText: 'pat@pharmacy.example' }).getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText('Invitation to pat@pharmacy.example withdrawn').waitFor();
    await page.getByRole('row').filter({ hasText: 'pat@pharmacy.example' }).getByText('withdrawn').waitFor();
    expect(lastCall('POST', `/api/v1/invitations/${ids.pendingInvitation}/revoke`)?.status).toBe(200);
    await shot('invitations');
  });

  it('gives an operator the review queue: reject with a reason, approve, suspend and reinstate, each through its own endpoint', async () => {
    const mark = api.calls.length;
    await page.getByRole('menuitem', { name: 'Awaiting review' }).click();
    await page.getByRole('columnheader', { name: 'Submitted' }).waitFor(); // the invitations list names these organizations too
    await page.getByRole('cell', { name: 'Draft Dental' }).waitFor();
    await page.getByRole('cell', { name: 'Pending Pharmacy' }).waitFor();
    expect(await page.getByRole('cell', { name: 'Sunrise Clinic' }).count()).toBe(0);
    await waitForList(mark, '/api/v1/organizations', { status: 'submitted' });

    await page.getByRole('cell', { name: 'Draft Dental' }).click();
    const profile = page.getByRole('table', { name: 'Organization profile' });
    await profile.getByText('12 Molar Lane').waitFor();
    await expect(profile.innerText()).resolves.toMatch(/Requested SAN URIs\s+https:\/\/fhir\.dental\.example\/r4/);
    await shot('review');
    await page.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('The NPI belongs to another practice');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Draft Dental rejected').waitFor();
    await page.getByText('The NPI belongs to another practice').waitFor();
    expect(lastCall('POST', `/api/v1/organizations/${ids.draftOrg}/reject`)).toMatchObject({ status: 200, body: { reason: 'The NPI belongs to another practice' } });
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    await page.getByRole('menuitem', { name: 'Awaiting review' }).click();
    await page.getByRole('cell', { name: 'Pending Pharmacy' }).click();
    await page.getByText('Submitted profile (revision 2)').waitFor();
    // the member adds a SAN URI while the operator reads revision 2: approving it is refused, the page shows revision 3
    const added = 'https://app.pharmacy.example/launch';
    const resubmit = await fetch(`${api.url}/api/v1/organizations/${ids.submittedOrg}/submit`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...submittedProfile, requestedSanUris: [...submittedProfile.requestedSanUris, added] }),
    });
    expect(resubmit.status).toBe(200);
    // the approval dialog reads what it would bind, sees revision 3 and refuses to approve revision 2
    await page.getByRole('button', { name: 'Approve' }).click();
    const approval = page.getByRole('dialog', { name: 'Approve Pending Pharmacy' });
    await approval.getByText(/submitted the profile again \(revision 3\) since this page loaded/).waitFor();
    await approval.getByLabel('Confirmation').fill('Pending Pharmacy');
    await expect(approval.getByRole('button', { name: 'Approve and bind' }).isDisabled()).resolves.toBe(true);
    await approval.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Submitted profile (revision 3)').waitFor();
    await page.getByRole('table', { name: 'Organization profile' }).getByText(added).waitFor();
    await noRawJson();
    await shot('review-profile-changed');
    await page.getByRole('button', { name: 'Approve' }).click();
    // neither SAN URI was ever checked: said in words, as a warning, before anything is bound
    await approval.getByTestId('unproven-endpoints').getByText('Warning: 2 of 2 SAN URIs did not pass the endpoint check').waitFor();
    await approval.getByLabel('Confirmation').fill('Pending Pharmacy');
    await approval.getByRole('button', { name: 'Approve and bind' }).click();
    await page.getByText('Pending Pharmacy LLC approved: active, with 2 SAN URIs bound').waitFor();
    await page.getByRole('button', { name: 'Suspend' }).click();
    // a reason is required
    await expect(page.getByRole('dialog').getByRole('button', { name: 'Suspend' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('dialog').getByLabel('Reason', { exact: true }).fill('Unpaid membership');
    // an investigation freeze: its certificates stay valid, so no bulk revocation page to go to
    await page.getByRole('dialog').getByLabel('Revoke all live certificates').uncheck();
    await page.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
    await page.getByText('Pending Pharmacy LLC suspended').waitFor();
    await page.getByRole('button', { name: 'Reinstate' }).click();
    await page.getByText('Pending Pharmacy LLC reinstated').waitFor();
    await page.getByRole('button', { name: 'Suspend' }).waitFor();
    const verbs = api.calls.filter((c) => c.method === 'POST' && c.path.startsWith(`/api/v1/organizations/${ids.submittedOrg}/`));
    expect(verbs.map((c) => [c.path.split('/').pop(), c.status, c.body])).toEqual([
      ['submit', 200, { ...submittedProfile, requestedSanUris: [...submittedProfile.requestedSanUris, added] }],
      ['approve', 200, { profileRevision: 3 }],
      ['suspend', 200, { reason: 'Unpaid membership', revokeCertificates: false }], ['reinstate', 200, {}],
    ]);
    expect(api.calls.filter((c) => c.method === 'PUT' || c.method === 'PATCH')).toEqual([]);
  });

  it('gives an operator Approve and Reject on waiting requests: approval shows the issued certificate', async () => {
    const mark = api.calls.length;
    await page.getByRole('menuitem', { name: 'Pending requests' }).click();
    await page.getByRole('columnheader', { name: 'Key' }).waitFor(); // the list, not the page before it
    const rows = page.locator('tbody tr');
    await rows.nth(1).waitFor();
    await waitForList(mark, '/api/v1/certificate-requests', { status: 'submitted' });
    await expect(rows.count()).resolves.toBe(2); // the fixture's and the member's RSA request (its other ones were cancelled)
    for (const row of await rows.all()) {
      await row.getByRole('button', { name: 'Approve' }).waitFor();
      await row.getByRole('button', { name: 'Reject' }).waitFor();
      expect(await row.getByRole('button', { name: 'Cancel request' }).count()).toBe(0);
    }
    await shot('pending-requests');

    const fixtureRow = page.getByRole('row').filter({ hasText: 'udap-idp' });
    await fixtureRow.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Use the client profile for this URI');
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Request rejected').waitFor();
    expect(lastCall('POST', `/api/v1/certificate-requests/${ids.waitingRequest}/reject`)).toMatchObject({ status: 200, body: { reason: 'Use the client profile for this URI' } });
    await fixtureRow.waitFor({ state: 'detached' }); // the list reloads after the notification
    await expect(rows.count()).resolves.toBe(1);

    await rows.first().locator('td.column-createdAt').click(); // (the first cell is the row's checkbox)
    await page.getByText('Waiting for an operator').waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Certificate 0f4a issued for https://fhir.sunrise.example/r4').waitFor();
    await page.getByRole('button', { name: 'Download DER' }).waitFor();
    await page.getByRole('link', { name: '0f4a' }).waitFor();
    // the operator holds no key: no key downloads, no note about it
    expect(await page.getByRole('button', { name: 'Download PKCS #12' }).count()).toBe(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download DER' }).click();
    expect((await download).suggestedFilename()).toBe('0f4a.der');
  });

  it('shows an auditor invitations and requests without any action', async () => {
    await switchUser(AUDITOR, TOTP_CODE);
    expect(await menuItems('Users')).toEqual(AUDITOR_MENU);
    await page.getByRole('menuitem', { name: 'Invitations' }).click();
    await page.getByRole('row').filter({ hasText: 'olga@bright.example' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: 'Certificate requests' }).click();
    await page.getByRole('columnheader', { name: 'Key' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'rejected' }).first().waitFor();
    expect(await page.locator('tbody').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Request a certificate' }).count()).toBe(0);
    await page.goto(`${api.url}/#/organizations/${ids.submittedOrg}/show`);
    await page.getByRole('table', { name: 'Organization profile' }).waitFor();
    for (const name of ['Approve', 'Reject', 'Suspend', 'Reinstate', 'Start check', 'Invite a contact']) {
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    }
    expect(api.calls.filter((c) => c.method === 'POST' && c.authorization?.includes('at-auditor') && !c.path.startsWith('/api/v1/auth/'))).toEqual([]);
  });

  it('shows the member admin of a rejected organization the reason, with the form filled in as submitted', async () => {
    await switchUser(DRAFT_ADMIN);
    await page.getByRole('menuitem', { name: 'My organization' }).click();
    await page.getByText('The profile was rejected:').waitFor();
    await expect(page.getByRole('alert').filter({ hasText: 'rejected' }).innerText()).resolves.toContain('The NPI belongs to another practice');
    await expect(page.getByLabel('Identifier 2 value').inputValue()).resolves.toBe('2.16.840.1.113883.3.4242');
    await expect(page.getByLabel('Address lines').inputValue()).resolves.toBe('12 Molar Lane\nSuite 3');
    await expect(page.getByLabel('Requested SAN URIs').inputValue()).resolves.toBe('https://fhir.dental.example/r4');
    await page.getByRole('button', { name: 'Submit for review' }).waitFor();
  });
});
