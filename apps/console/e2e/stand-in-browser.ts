// The harness of the console's browser tests against the stand-in API: one stand-in and one Chromium
// per describe block, a fresh browser context per sign-in, and no uncaught page error allowed.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, FIXTURE_USERS, SHOTS } from './browser';
import { CONSOLE_DIST, ensureConsoleBuilt } from './build-console';
import { PASSWORD, startStandIn, TOTP_CODE, type StandIn } from './stand-in-api';

/** What a test uses: the stand-in, and helpers bound to this block's browser. */
export interface StandInBrowser {
  readonly api: StandIn;
  /** A fresh browser context (1280 px wide, or `width`) signed in as `email` (operators and auditors give their authenticator code), on the dashboard. */
  signIn(email: string, width?: number): Promise<Page>;
  /** A full-page screenshot under the test output (`console-<name>.png`). */
  shot(p: Page, name: string): Promise<Buffer>;
  /** Fails when a problem document's JSON shows on the page instead of a readable message. */
  noRawJson(p: Page): Promise<void>;
  /** Requests the stand-in received with `method` on `path`. */
  callsTo(method: string, path: string): StandIn['calls'];
}

/** Registers the hooks of the calling describe block and returns its harness. */
export function useStandInBrowser(): StandInBrowser {
  let api: StandIn | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; run scripts/ensure-chromium.sh`);
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    api = await startStandIn(CONSOLE_DIST);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 180_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  return {
    get api() {
      if (!api) throw new Error('the stand-in API is not started (use the harness inside tests)');
      return api;
    },
    async signIn(email, width = 1280) {
      const context = await browser!.newContext({ viewport: { width, height: 860 } });
      contexts.push(context);
      const p = await context.newPage();
      p.setDefaultTimeout(15_000);
      p.on('pageerror', (err) => pageErrors.push(err.message));
      await p.goto(`${api!.url}/`);
      await p.getByLabel('E-mail').fill(email);
      await p.getByLabel(/^Password/).fill(PASSWORD);
      await p.getByLabel('Authenticator code').fill(email === FIXTURE_USERS.operator || email === FIXTURE_USERS.auditor ? TOTP_CODE : '');
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('button', { name: /^Profile/ }).waitFor();
      return p;
    },
    shot: (p, name) => p.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true, animations: 'disabled' }),
    noRawJson: async (p) => expect(await p.locator('body').innerText()).not.toMatch(/[{[]\s*"(type|title|status|detail)"/),
    callsTo: (method, path) => api!.calls.filter((c) => c.method === method && c.path === path),
  };
}
