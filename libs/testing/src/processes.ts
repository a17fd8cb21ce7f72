import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root (where scripts/register.cjs runs TypeScript entry points). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A running API process. */
export interface ApiProcess {
  url: string;
  proc: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Environment for the API process and CLI of a test, from testPlatformOptions(): keys in process. */
export function platformEnv(o: { databaseUrl: string; kekFile: string; webKeyFile: string; keyDir: string; publishDir: string; publicBaseUrl: string }): Record<string, string> {
  return {
    ANCHORAGE_DATABASE_URL: o.databaseUrl, ANCHORAGE_KEK_FILE: o.kekFile, ANCHORAGE_WEB_KEY_FILE: o.webKeyFile, ANCHORAGE_KEY_DIR: o.keyDir, ANCHORAGE_PUBLISH_DIR: o.publishDir,
    ANCHORAGE_PORT: '0', ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PUBLIC_BASE_URL: o.publicBaseUrl,
  };
}

/**
 * Environment for an API or worker process of a test whose keys are in the signer process `signer`, as
 * deployed: no KEK and no key directory, the signer's socket and token, and the web key.
 */
export function signerClientEnv(o: { databaseUrl: string; webKeyFile: string; publishDir: string; publicBaseUrl: string }, signer: { clientEnv: Record<string, string> }): Record<string, string> {
  return {
    ANCHORAGE_DATABASE_URL: o.databaseUrl, ANCHORAGE_WEB_KEY_FILE: o.webKeyFile, ANCHORAGE_PUBLISH_DIR: o.publishDir,
    ANCHORAGE_PORT: '0', ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PUBLIC_BASE_URL: o.publicBaseUrl, ...signer.clientEnv,
  };
}

/** A running signer process, and the environment that points an API or worker process at it. */
export interface SignerProcess {
  socketPath: string;
  tokenFile: string;
  proc: ChildProcess;
  /** ANCHORAGE_SIGNER_SOCKET and ANCHORAGE_SIGNER_TOKEN_FILE. */
  clientEnv: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real signer process (apps/signer/src/main.ts) over the key store of testPlatformOptions()
 * `o`, with a fresh token file in `o.dir`, and resolves once it listens. `socketGroup` (a gid) lets a
 * client running as another user connect.
 */
export async function startSignerProcess(o: { dir: string; kekFile: string; keyDir: string }, extra: Record<string, string> = {}): Promise<SignerProcess> {
  const socketPath = join(o.dir, 'signer.sock');
  const tokenFile = join(o.dir, 'signer-token');
  if (!existsSync(tokenFile)) writeFileSync(tokenFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const { proc, stop, output } = await startEntryPoint('apps/signer/src/main.ts', {
    ANCHORAGE_SIGNER_SOCKET: socketPath, ANCHORAGE_SIGNER_TOKEN_FILE: tokenFile, ANCHORAGE_KEY_DIR: o.keyDir, ANCHORAGE_KEK_FILE: o.kekFile, ...extra,
  }, /anchorage signer listening on/, 'signer');
  return { socketPath, tokenFile, proc, stop, output, clientEnv: { ANCHORAGE_SIGNER_SOCKET: socketPath, ANCHORAGE_SIGNER_TOKEN_FILE: tokenFile } };
}

/** Starts the real API process (apps/api/src/main.ts) and resolves once it listens. */
export async function startApiProcess(env: Record<string, string>, as?: { uid: number; gid: number }): Promise<ApiProcess> {
  const { proc, stop, match, output } = await startEntryPoint('apps/api/src/main.ts', env, /listening on (http:\/\/\S+)/, 'API', as);
  return { url: match[1], proc, stop, output };
}

/** A running worker process. */
export interface WorkerProcess {
  proc: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM: a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, mid-job. */
  kill(): Promise<void>;
}

/** Starts the real worker process (apps/worker/src/main.ts) and resolves once it has started. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const { proc, stop, output } = await startEntryPoint('apps/worker/src/main.ts', env, /anchorage worker started/, 'worker');
  const kill = () => new Promise<void>((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once('exit', () => done());
    proc.kill('SIGKILL');
  });
  return { proc, stop, kill, output };
}

async function startEntryPoint(entry: string, env: Record<string, string>, ready: RegExp, what: string, as?: { uid: number; gid: number }) {
  return new Promise<{ proc: ChildProcess; stop: () => Promise<void>; match: RegExpExecArray; output: () => string }>((resolve, reject) => {
    // PROFILE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the started processes
    const nodeArgs = (process.env.PROFILE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, '-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, entry)], {
      env: { ...process.env, ...env }, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...as,
    });
    let out = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 60_000);
    const stop = () => new Promise<void>((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    });
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = started ? null : ready.exec(out);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({ proc, stop, match: m, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${what} exited with ${code}: ${out}`));
    });
  });
}

/** The operator CLI as published: the bundle `npm run cli:build` writes (the Jest global setup builds it). */
export const CLI_BUNDLE = join(REPO_ROOT, 'dist', 'cli', 'anchorage.cjs');

/** What one run of the CLI bundle printed and returned. */
export interface CliBundleRun {
  code: number;
  /** stdout without its last line break. */
  out: string;
  /** stderr without its last line break. */
  err: string;
}

/**
 * Runs the CLI bundle with plain `node` (no register hook), asynchronously, so the test process keeps
 * serving what the API calls back (e.g. a test's SMTP receiver) while it runs. `env` is added to this
 * process's environment, without the CLI settings of the environment Jest runs in (and without a
 * config.json, unless `env` names an ANCHORAGE_CLI_DIR).
 */
export function runCliBundle(args: string[], env: Record<string, string> = {}): Promise<CliBundleRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^ANCHORAGE_(API_URL|API_TOKEN|DATABASE_URL|CLI_DIR)$/.test(k)));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_BUNDLE, ...args], { env: { ...base, ANCHORAGE_CLI_DIR: join(tmpdir(), 'anchorage-cli-without-config'), ...env }, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code: code ?? -1, out: out.replace(/\n$/, ''), err: err.replace(/\n$/, '') }));
  });
}

/** Creates an operator API token with the published CLI (`token create`), against the database. */
export function createTokenWithCli(databaseUrl: string, name: string): string {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: npm run cli:build`);
  const r = spawnSync(process.execPath, [CLI_BUNDLE, 'token', 'create', '--name', name, '--json'], {
    env: { ...process.env, ANCHORAGE_DATABASE_URL: databaseUrl }, encoding: 'utf8', cwd: REPO_ROOT,
  });
  if (r.status !== 0 || r.stderr) throw new Error(`token create failed: ${r.stderr}`);
  return JSON.parse(r.stdout).token;
}
