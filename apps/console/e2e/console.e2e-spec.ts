// The console in a real browser (Debian's Chromium via playwright-core) against a stand-in API:
// sign-in (and its errors), the access token's refresh, sign-out, and what each role sees.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OPERATOR_REASONS, SUBSCRIBER_REASONS } from '@anchorage/contracts';
import { CONSOLE_DIST, ensureConsoleBuilt, REPO_ROOT } from './build-console';
import { ids } from './fixtures';
import {
  ENROLL_CODE, ENROLL_SECRET, PASSWORD, REFRESH_COOKIE, SIGN_IN_REFUSED, startStandIn, TEST_TOKEN, THROTTLED_EMAIL, TOTP_CODE, type StandIn,
} from './stand-in-api';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test-output/screenshots');
// Skipping is only for a developer machine without Chromium; CI must run this (scripts/ensure-chromium.sh).
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`console browser test skipped: ${CHROMIUM} not found (install it with scripts/ensure-chromium.sh)`);

const OPERATOR = 'olivia@anchorage.example';
const AUDITOR = 'aldo@anchorage.example';
const MEMBER_ADMIN = 'mia@sunrise.example';

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
  const openUserMenu = () => page.getByRole('button', { name: 'Profile' }).click();
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
  const stored = () => page.evaluate(() => sessionStorage.getItem('anchorage.session'));
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
    await expect(page.locator('body').innerText()).resolves.toContain('Required for operators');
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
    await page.getByText('Example Trust Community').first().waitFor();
    expect(await menuItems('Users')).toEqual(['Communities', 'Organizations', 'Certificates', 'Users']);
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
    await page.getByText('Example Trust Community').first().waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('https://trust.example.org/community');
    expect(await menuItems('Users')).toEqual(['Communities', 'Organizations', 'Certificates', 'Users']);
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
    await expect(page.getByRole('row').filter({ hasText: 'lars@' }).innerText()).resolves.toMatch(/off\s+until /);
    await shot('users');

    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('E-mail').fill('nora@anchorage.example');
    await page.getByLabel('Display name').fill('Nora New');
    await page.getByLabel('Initial password').fill('too short');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('At least 12 characters', { exact: true }).waitFor();
    await page.getByLabel('Initial password').fill('a long initial password');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', { exact: true }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('otpauth://totp/Anchorage:nora%40anchorage.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    await expect(page.locator('main').innerText()).resolves.toContain('Give this secret to Nora New');
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
    await fillSignIn(AUDITOR);
    expect(await menuItems('Users')).toEqual(['Communities', 'Organizations', 'Certificates', 'Users']);
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
    expect(await menuItems('My organization')).toEqual(['My organization', 'My certificates']);
    // the first page is the organization itself, with its certificates
    await page.getByText('https://fhir.sunrise.example/r4').first().waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('Sunrise Clinic');

    await page.getByRole('menuitem', { name: 'My certificates' }).click();
    await page.getByRole('cell', { name: '0f4a' }).waitFor();
    const serials = await page.locator('tbody tr td:first-child').allInnerTexts();
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
    await expect(page.locator('main').innerText()).resolves.toContain(`otpauth://totp/Anchorage:mia%40sunrise.example?secret=${ENROLL_SECRET}`);
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(alertText('does not match')).resolves.toBe('the code does not match: check the time on your device and enter the current code');
    await noRawJson();
    await shot('two-factor-error');
    await page.getByLabel('Code from the app').fill(ENROLL_CODE);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Two-factor authentication is on for mia@sunrise.example').waitFor();
    const confirms = api.calls.filter((c) => c.path === '/api/v1/auth/totp/confirm');
    expect(confirms.map((c) => [c.status, c.body])).toEqual([[400, { code: '000000' }], [204, { code: ENROLL_CODE }]]);
    await openUserMenu();
    await page.getByRole('menuitem', { name: 'Logout' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Two-factor authentication' }).count()).toBe(0);
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
});
