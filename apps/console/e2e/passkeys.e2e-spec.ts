// Passkeys in Chromium against the real API process, with Chromium's virtual authenticator (DevTools
// protocol WebAuthn domain): an operator adds a passkey on the two-factor page, signs out, and signs in
// with e-mail, password and the passkey instead of a code. The console is served at the platform's
// public base URL (http://localhost:<port>), the passkeys' relying party.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { CreatedUserView } from '@anchorage/contracts';
import { SHOTS, skipWithoutChromium } from './browser';
import { launchChromium, startConsoleApi, type ConsoleApi } from './real-api-harness';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'passkey e2e pass phrase';

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

(skip ? describe.skip : describe)('passkeys in the console against the real API', () => {
  const host = `pk-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let url = '';
  let browser: Browser;
  let page: Page;
  let operator: CreatedUserView;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://localhost:${port}`;
    server = await startConsoleApi(url, 'passkeys-e2e', { ANCHORAGE_PORT: String(port) });
    operator = await server.api<CreatedUserView>('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Petra Passkey', role: 'operator', password: PASSWORD, communities: 'all' });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds a passkey on the two-factor page, then signs in with it instead of a code', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${url}/`);
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByLabel('Authenticator code').fill(totpCode(operator.totpEnrollment!.secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: /^Profile/ }).click();
    await page.getByRole('menuitem', { name: 'Two-factor authentication' }).click();
    await page.getByText('No passkey yet.').waitFor();
    await page.getByLabel('Passkey name').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey "Virtual key" added: you may sign in with it instead of a code').waitFor();
    await page.getByRole('list', { name: 'Passkeys' }).getByText('Virtual key (ES256)').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-passkey-registered.png'), fullPage: true, animations: 'disabled' });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost', signCount: 1 });

    await page.getByRole('button', { name: /^Profile/ }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    // a wrong password with a good passkey is still refused, with the one sentence
    await page.getByLabel(/^Password/).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in with a passkey instead of a code' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in with a passkey instead of a code' }).click();
    await page.getByRole('button', { name: /^Profile/ }).filter({ hasText: 'Petra Passkey' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-passkey-signed-in.png'), fullPage: true, animations: 'disabled' });

    const events = await server!.api<{ action: string; data: { secondFactor?: unknown } }[]>('GET', `/api/v1/audit/events?subjectId=${operator.id}&limit=100`);
    expect(events.filter((e) => e.action === 'user.signed-in').map((e) => e.data.secondFactor)).toEqual([true, 'passkey']);
    const after = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    expect(after[0].signCount).toBeGreaterThan(credentials[0].signCount);
  });
});
