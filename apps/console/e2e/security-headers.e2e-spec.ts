// The console's Content-Security-Policy in Chromium, against the real API process: the sign-in page and
// the screens after it run with no CSP violation (MUI's styles carry the per-response nonce), and a page
// of another origin that frames the sign-in page gets nothing (frame-ancestors 'none', clickjacking).
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import type { CreatedUserView } from '@anchorage/contracts';
import { createTokenWithCli, isolatedPlatformOptions, platformEnv, startApiProcess, type ApiProcess, type IsolatedPlatformOptions } from '@anchorage/testing';
import { CONSOLE_DIST } from './build-console';
import { CHROMIUM, SHOTS, skipWithoutChromium } from './browser';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'security headers pass phrase';

/** What a page reported against its policy: securitypolicyviolation events and the console's CSP errors. */
interface Reports {
  violations: string[];
  cspConsole: string[];
  pageErrors: string[];
}

(skip ? describe.skip : describe)('console security headers in Chromium against the real API', () => {
  let api0: ApiProcess;
  let opts: IsolatedPlatformOptions | undefined;
  let url = '';
  let browser: Browser;
  let foreign: Server;
  let foreignUrl = '';
  let auditor: CreatedUserView;
  const contexts: BrowserContext[] = [];

  /** A fresh page that records every CSP violation of every frame from before the first script runs. */
  const watchedPage = async (): Promise<{ page: Page; reports: Reports }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const reports: Reports = { violations: [], cspConsole: [], pageErrors: [] };
    await context.exposeBinding('reportCspViolation', (_source, v: string) => void reports.violations.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        void (window as unknown as { reportCspViolation(v: string): Promise<void> }).reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) reports.cspConsole.push(m.text());
    });
    page.on('pageerror', (err) => reports.pageErrors.push(err.message));
    return { page, reports };
  };

  beforeAll(async () => {
    // a database of its own: the API process refuses to start while other test files' CAs, whose keys
    // are in other key stores, are in its database
    opts = await isolatedPlatformOptions('http://pki.security-headers.invalid');
    api0 = await startApiProcess({ ...platformEnv(opts), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST });
    url = api0.url;
    const token = createTokenWithCli(opts.databaseUrl, 'security-headers-e2e');
    const res = await fetch(`${url}/api/v1/users`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: `auditor-${Date.now().toString(36)}@csp.example.org`, displayName: 'Cora CSP', role: 'auditor', password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`creating the auditor: ${res.status} ${await res.text()}`);
    auditor = (await res.json()) as CreatedUserView;

    // another origin (another port) whose page frames the console's sign-in page, next to a frame of its own
    foreign = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(req.url === '/own'
        ? '<!doctype html><title>own</title><p id="own">a frame of this origin renders</p>'
        : `<!doctype html><title>Framing page</title><h1>Another site</h1><iframe name="own" src="/own"></iframe><iframe name="console" src="${url}/" width="900" height="600" onload="document.body.dataset.consoleFrame = 'loaded'"></iframe>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const addr = foreign.address();
    foreignUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 180_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => foreign?.close(r));
    await api0?.stop();
    await opts?.drop();
  });

  it('renders the sign-in page and the screens after it with MUI\'s styles and no CSP violation', async () => {
    const { page, reports } = await watchedPage();
    const response = await page.goto(`${url}/`);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    await page.getByLabel('E-mail').fill(auditor.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    // auditors sign in with a second factor, like operators
    await page.getByLabel('Authenticator code').fill(totpCode(auditor.totpEnrollment!.secret));
    // emotion's <style> elements took the nonce and were applied: CssBaseline's body margin, the contained button's colour
    const styled = await page.evaluate(() => ({
      emotionSheets: document.querySelectorAll('style[data-emotion]').length,
      bodyMargin: getComputedStyle(document.body).margin,
      buttonBackground: getComputedStyle(Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Sign in')!).backgroundColor,
    }));
    expect(reports).toEqual({ violations: [], cspConsole: [], pageErrors: [] });
    expect(styled.emotionSheets).toBeGreaterThan(0);
    expect(styled.bodyMargin).toBe('0px');
    expect(styled.buttonBackground).not.toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: join(SHOTS, 'console-csp-sign-in.png'), fullPage: true, animations: 'disabled' });

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: /^Profile/ }).filter({ hasText: 'Cora CSP' }).waitFor();
    await page.getByRole('menuitem', { name: 'Certificates' }).click();
    // the list once loaded: this database has no certificates (its filters show only while it loads)
    await page.getByText('No Certificates yet.').waitFor();
    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByRole('alert').filter({ hasText: /Chain intact|Chain broken|Could not verify/ }).waitFor();
    await page.getByRole('button', { name: /^Profile/ }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-csp-signed-in.png'), fullPage: true, animations: 'disabled' });
    await page.keyboard.press('Escape');
    expect(reports).toEqual({ violations: [], cspConsole: [], pageErrors: [] });
  });

  it('does not render the sign-in page inside a frame of another origin', async () => {
    const { page, reports } = await watchedPage();
    const refused = page.waitForEvent('console', (m) => /frame-ancestors 'none'/.test(m.text())).then((m) => m.text(), (e: Error) => `no refusal logged: ${e.message}`);
    await page.goto(`${foreignUrl}/`);
    await page.getByRole('heading', { name: 'Another site' }).waitFor();
    // the control: a frame this page may show renders
    await page.frameLocator('iframe[name="own"]').locator('#own').waitFor();
    // the console's frame finished loading, and holds the browser's error page instead of the sign-in page
    await page.locator('body[data-console-frame="loaded"]').waitFor({ state: 'attached' });
    const framed = page.frame({ name: 'console' });
    expect(framed).not.toBeNull();
    expect(framed!.url()).not.toContain(url);
    expect(await framed!.locator('input').count()).toBe(0);
    expect(await framed!.evaluate(() => document.body?.innerText ?? '')).not.toContain('Sign in');
    expect(await refused).toMatch(new RegExp(`^(Framing|Refused to display) '${url}/'`));
    await page.screenshot({ path: join(SHOTS, 'console-csp-framed-sign-in-blocked.png'), fullPage: true, animations: 'disabled' });
    expect(reports.pageErrors).toEqual([]);
  });

  it('runs the OpenAPI viewer under its own policy with no CSP violation, also unframeable', async () => {
    const { page, reports } = await watchedPage();
    const response = await page.goto(`${url}/api/docs`);
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByRole('heading', { name: /Anchorage API/ }).waitFor();
    await page.locator('.opblock').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-csp-openapi.png'), animations: 'disabled' });
    expect(reports).toEqual({ violations: [], cspConsole: [], pageErrors: [] });
  });
});
