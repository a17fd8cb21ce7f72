// Builds the console for the browser test when its build is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Repository root. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The console's build output. */
export const CONSOLE_DIST = join(REPO_ROOT, 'apps/console/dist');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Runs `vite build` unless dist/index.html is newer than src/, index.html and vite.config.ts. */
export function ensureConsoleBuilt(): void {
  const app = join(REPO_ROOT, 'apps/console');
  const built = join(CONSOLE_DIST, 'index.html');
  const sources = Math.max(...['src', 'index.html', 'vite.config.ts'].map((p) => newest(join(app, p))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync('npx', ['--no-install', 'vite', 'build', '--config', 'apps/console/vite.config.ts'], { cwd: REPO_ROOT, stdio: 'inherit', env });
}
