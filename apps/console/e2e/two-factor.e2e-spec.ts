// Two-factor in Chromium against the real API process and PostgreSQL: an operator manages another
// operator's account from its user page: unlock after repeated failed sign-ins, disable (the e-mail
// address typed to confirm) and enable again, and reset two-factor (a lost phone), whose new secret is
// shown once as a QR code and text and lets the person sign in; a recovery code signs in on the sign-in
// page, once, and new ones replace the old on the two-factor page.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { CreatedUserView, UserView } from '@anchorage/contracts';
import { encodeQr } from '../src/two-factor/qr';
import { SHOTS, skipWithoutChromium } from './browser';
import { launchChromium, signInThroughLoginPage, startConsoleApi, type ConsoleApi } from './real-api-harness';
import { totpCode, totpStep } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'two-factor e2e pass phrase';

(skip ? describe.skip : describe)('two-factor in the console against the real API', () => {
  const host = `tf-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let url = '';
  let token = '';
  let browser: Browser;
  let page: Page;
  let operator: CreatedUserView;
  let lost: CreatedUserView;
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `console-two-factor-${name}.png`), fullPage: true, animations: 'disabled' });

  const call = async (method: string, path: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${url}${path}`, {
      method, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const user = async (id: string) => (await call('GET', `/api/v1/users/${id}`)).json as UserView;
  const login = (email: string, code?: string) => call('POST', '/api/v1/auth/login', { email, password: PASSWORD, ...(code ? { code } : {}) }, '');
  /** The dialog that confirms a user action, with the e-mail address typed. */
  const confirmWithEmail = async (title: string, email: string, button: string) => {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: button }).isDisabled()).toBe(true);
    await dialog.getByLabel("Confirmation: the user's e-mail address").fill('someone-else@example.org');
    expect(await dialog.getByRole('button', { name: button }).isDisabled()).toBe(true);
    await dialog.getByLabel("Confirmation: the user's e-mail address").fill(email);
    return dialog;
  };

  beforeAll(async () => {
    server = await startConsoleApi('http://pki.two-factor-test.invalid', 'two-factor-e2e');
    url = server.url;
    token = server.token;
    operator = (await call('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Olga Operator', role: 'operator', password: PASSWORD, communities: 'all' })).json;
    lost = (await call('POST', '/api/v1/users', { email: `lost@${host}`, displayName: 'Lena Lost', role: 'operator', password: PASSWORD, communities: 'all' })).json;
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await signInThroughLoginPage(browser, url, operator, PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('unlocks an account locked by failed sign-ins, disables it with the address typed, and enables it again', async () => {
    for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/auth/login', { email: lost.email, password: 'not the password!!' }, '')).status).toBe(401);
    expect((await user(lost.id)).lockedUntil).not.toBeNull();
    await page.goto(`${url}/#/users/${lost.id}/show`);
    const actions = page.getByLabel('User actions');
    await actions.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(`${lost.email} is unlocked: it may sign in again`).waitFor();
    expect((await user(lost.id)).lockedUntil).toBeNull();
    expect(await actions.getByRole('button', { name: 'Unlock' }).count()).toBe(0);

    // a session of the account, to see it end
    const session = await login(lost.email, totpCode(lost.totpEnrollment!.secret));
    expect(session.status).toBe(200);
    await actions.getByRole('button', { name: 'Disable' }).click();
    const dialog = await confirmWithEmail(`Disable ${lost.email}?`, lost.email, 'Disable');
    await shot('disable');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await page.getByText(`${lost.email} is disabled: its sessions have ended and it cannot sign in`).waitFor();
    expect((await user(lost.id)).disabled).toBe(true);
    expect((await call('GET', '/api/v1/auth/me', undefined, session.json.accessToken)).status).toBe(401);
    await actions.getByRole('button', { name: 'Enable' }).click();
    await page.getByText(`${lost.email} is enabled again`).waitFor();
    expect((await user(lost.id)).disabled).toBe(false);
    // nobody acts on their own account here
    await page.goto(`${url}/#/users/${operator.id}/show`);
    await page.getByText('Olga Operator').first().waitFor();
    expect(await page.getByLabel('User actions').count()).toBe(0);
  });

  it('resets two-factor: the new secret is shown once as a QR code and text, and signs the person in', async () => {
    await page.goto(`${url}/#/users/${lost.id}/show`);
    await page.getByLabel('User actions').getByRole('button', { name: 'Reset two-factor' }).click();
    const confirm = await confirmWithEmail(`Reset two-factor authentication of ${lost.email}?`, lost.email, 'Reset two-factor');
    await confirm.getByRole('button', { name: 'Reset two-factor' }).click();
    const dialog = page.getByRole('dialog', { name: 'New two-factor secret for Lena Lost' });
    await dialog.waitFor();
    const secret = (await dialog.getByLabel('TOTP secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(secret).not.toBe(lost.totpEnrollment!.secret);
    const uri = (await dialog.getByLabel('otpauth URI', { exact: true }).innerText()).trim();
    expect(uri).toBe(`otpauth://totp/Anchorage:lost%40${host}?secret=${secret}&issuer=Anchorage&algorithm=SHA1&digits=6&period=30`);
    const qr = dialog.getByRole('img', { name: 'QR code for the authenticator app' });
    const drawn = new Set([...(await qr.locator('path').getAttribute('d'))!.matchAll(/M(\d+) (\d+)/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`));
    expect(drawn).toEqual(new Set(encodeQr(uri).modules.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`${x},${y}`] : [])))));
    await shot('reset-secret');
    await dialog.getByRole('button', { name: 'I have handed over the secret' }).click();
    await page.getByText('Lena Lost').first().waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    // the old secret no longer signs in (a later step, so no replay is what refuses it); the new one does
    const next = totpStep() + 1;
    expect((await login(lost.email, totpCode(lost.totpEnrollment!.secret, next))).status).toBe(401);
    expect((await login(lost.email, totpCode(secret, next))).status).toBe(200);
    const events = (await call('GET', `/api/v1/audit/events?subjectId=${lost.id}&limit=100`)).json as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.unlocked', 'user.disabled', 'user.enabled', 'user.two-factor-reset']));
  });

  it('signs in with a recovery code on the sign-in page, and makes new codes on the two-factor page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    try {
      await p.goto(`${url}/`);
      await p.getByLabel('E-mail').fill(operator.email);
      await p.getByLabel(/^Password/).fill(PASSWORD);
      await p.getByLabel('Authenticator code').fill('not a code');
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByText('Enter the 6 digits the app shows, or one of your recovery codes').waitFor();
      await p.getByLabel('Authenticator code').fill(operator.totpEnrollment!.recoveryCodes[0].toUpperCase());
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('button', { name: /^Profile/ }).click();
      await p.getByRole('menuitem', { name: 'Two-factor authentication' }).click();
      await expect(p.getByLabel('Recovery codes left').innerText()).resolves.toBe('9 of 10 recovery codes left.');
      await p.getByRole('button', { name: 'Make new recovery codes' }).click();
      await p.getByRole('dialog', { name: 'Make new recovery codes?' }).getByRole('button', { name: 'Make new codes' }).click();
      const list = p.getByRole('dialog', { name: 'Your new recovery codes' }).getByRole('list', { name: 'Recovery codes' });
      await list.getByRole('listitem').nth(9).waitFor();
      const codes = await list.getByRole('listitem').allInnerTexts();
      expect(codes).toHaveLength(10);
      expect(codes.some((c) => operator.totpEnrollment!.recoveryCodes.includes(c))).toBe(false);
      await p.screenshot({ path: join(SHOTS, 'console-two-factor-new-recovery-codes.png'), fullPage: true, animations: 'disabled' });
      await p.getByRole('button', { name: 'I have stored the codes' }).click();
      await p.getByLabel('Recovery codes left').filter({ hasText: '10 of 10 recovery codes left.' }).waitFor();
      // the old codes no longer sign in; a new one does, once
      expect((await login(operator.email, operator.totpEnrollment!.recoveryCodes[1])).status).toBe(401);
      expect((await login(operator.email, codes[0])).status).toBe(200);
      expect((await login(operator.email, codes[0])).status).toBe(401);
    } finally {
      await context.close();
    }
  });
});
