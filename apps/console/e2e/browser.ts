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
