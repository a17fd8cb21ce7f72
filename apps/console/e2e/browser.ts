import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build-console';

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); no test downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests keep their screenshots. */
export const SHOTS = join(REPO_ROOT, 'test-output/screenshots');

/**
 * True on a developer machine without Chromium, where the browser tests are skipped with a warning;
 * CI must run them (it sets CI, and scripts/ensure-chromium.sh installs Chromium first).
 */
export function skipWithoutChromium(what: string): boolean {
  const skip = !existsSync(CHROMIUM) && !process.env.CI;
  if (skip) console.warn(`${what} skipped: ${CHROMIUM} not found (install it with scripts/ensure-chromium.sh)`);
  return skip;
}

/** Users of the stand-in API's fixture (fixtures.ts). */
export const FIXTURE_USERS = {
  operator: 'olivia@anchorage.example',
  auditor: 'aldo@anchorage.example',
  memberAdmin: 'mia@sunrise.example',
  draftAdmin: 'dana@draft.example',
} as const;

/**
 * The element's text once it equals `expected`, or its last text when `timeoutMs` passes first (so the caller's
 * assertion fails with what the page showed). For text the page replaces after a refetch, which a single read
 * can catch before the new value is rendered.
 */
export async function settledText(locator: { innerText(): Promise<string> }, expected: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await locator.innerText();
    if (text === expected || Date.now() > until) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
}
