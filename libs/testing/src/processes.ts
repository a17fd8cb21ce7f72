import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (where scripts/register.cjs runs TypeScript entry points). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A running API process. */
export interface ApiProcess {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Environment for the API process and CLI of a test, from testPlatformOptions(). */
export function platformEnv(o: { databaseUrl: string; kekFile: string; keyDir: string; publishDir: string; publicBaseUrl: string }): Record<string, string> {
  return {
    ANCHORAGE_DATABASE_URL: o.databaseUrl, ANCHORAGE_KEK_FILE: o.kekFile, ANCHORAGE_KEY_DIR: o.keyDir, ANCHORAGE_PUBLISH_DIR: o.publishDir,
    ANCHORAGE_PORT: '0', ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PUBLIC_BASE_URL: o.publicBaseUrl,
  };
}

/** Starts the real API process (apps/api/src/main.ts) and resolves once it listens. */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, 'apps/api/src/main.ts')], {
      env: { ...process.env, ...env }, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`API did not start: ${out}`)), 60_000);
    const stop = () => new Promise<void>((done) => {
      if (proc.exitCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    });
    proc.stdout!.on('data', (d: Buffer) => onData(d));
    proc.stderr!.on('data', (d: Buffer) => onData(d));
    function onData(d: Buffer) {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, stop });
      }
    }
    proc.on('exit', (code) => reject(new Error(`API exited with ${code}: ${out}`)));
  });
}

/** Creates an operator API token with the real CLI entry point (`token create`), against the database. */
export function createTokenWithCli(databaseUrl: string, name: string): string {
  const r = spawnSync(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, 'apps/cli/src/main.ts'), 'token', 'create', '--name', name, '--json'], {
    env: { ...process.env, ANCHORAGE_DATABASE_URL: databaseUrl }, encoding: 'utf8', cwd: REPO_ROOT,
  });
  if (r.status !== 0 || r.stderr) throw new Error(`token create failed: ${r.stderr}`);
  return JSON.parse(r.stdout).token;
}
