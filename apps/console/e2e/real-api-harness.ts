// What the console's browser tests against the real API share: an API process on a database of its own
// (serving the console build) with an operator API token, Debian's Chromium, EC CSRs from OpenSSL, and a
// sign-in through the login page.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CreatedUserView } from '@anchorage/contracts';
import { createTokenWithCli, isolatedPlatformOptions, platformEnv, startApiProcess } from '@anchorage/testing';
import { CONSOLE_DIST } from './build-console';
import { CHROMIUM, SHOTS } from './browser';
import { totpCode } from './totp';

/** A running API process with the console, and its operator API token. */
export interface ConsoleApi {
  url: string;
  /** The operator API token (for calls that look at the status themselves). */
  token: string;
  /** Calls the API with the operator token; throws with the problem document on an error status. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts the real API process (console build included) on a fresh database, with an operator API token named
 * `tokenName`; `env` adds to the process's environment (an SMTP server, say).
 */
export async function startConsoleApi(publicBaseUrl: string, tokenName: string, env: Record<string, string> = {}): Promise<ConsoleApi> {
  const opts = await isolatedPlatformOptions(publicBaseUrl);
  const proc = await startApiProcess({ ...platformEnv(opts), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST, ...env });
  const token = createTokenWithCli(opts.databaseUrl, tokenName);
  return {
    url: proc.url,
    token,
    api: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${proc.url}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop: async () => {
      await proc.stop();
      await opts.drop();
    },
  };
}

/** Debian's Chromium, headless, with the flags every browser test uses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A PKCS #10 request (PEM) for a new P-256 key with one SAN URI, made by OpenSSL in `dir`. */
export function ecCsr(dir: string, san: string, name: string): string {
  return spawnSync('openssl', [
    'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-subj', `/CN=${name}`, '-addext', `subjectAltName=URI:${san}`,
  ], { encoding: 'utf8' }).stdout;
}

/**
 * A new browser context signed in through the login page as `user` (with its TOTP code when it has a
 * secret: a code is accepted once, so each test signs in a user of its own).
 */
export async function signInThroughLoginPage(browser: Browser, url: string, user: CreatedUserView, password: string, o: { width?: number; bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, bypassCSP: o.bypassCSP ?? false });
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  await p.goto(`${url}/`);
  await p.getByLabel('E-mail').fill(user.email);
  await p.getByLabel(/^Password/).fill(password);
  if (user.totpEnrollment) await p.getByLabel('Authenticator code').fill(totpCode(user.totpEnrollment.secret));
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.getByRole('button', { name: /^Profile/ }).waitFor();
  return p;
}

/** What a describe block gets from realApiConsole: usable in its tests and in its own beforeAll. */
export interface RealApiConsole {
  /** A directory of its own (keys of the CSRs made with ecCsr). */
  dir: string;
  /** A host name of its own, for community URIs, SAN URIs and e-mail addresses. */
  host: string;
  readonly url: string;
  readonly browser: Browser;
  /** Calls the API with the operator token; throws with the problem document on an error status. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * For the describe block it is called in: the real API process (as startConsoleApi, PKI base URL and token
 * named after `tag`) and Debian's Chromium, started before the block's tests (and before its own beforeAll,
 * which runs after this one) and stopped after them; the screenshot folder made.
 */
export function realApiConsole(tag: string, env: Record<string, string> = {}): RealApiConsole {
  let server: ConsoleApi | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startConsoleApi(`http://pki.console-${tag}.invalid`, `console-${tag}`, env);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    dir: mkdtempSync(join(tmpdir(), `anchorage-console-${tag}-`)),
    host: `${tag}-${randomBytes(4).toString('hex')}.example.org`,
    get url() { return server!.url; },
    get browser() { return browser!; },
    api: <T>(method: string, path: string, body?: unknown) => server!.api<T>(method, path, body),
  };
}
