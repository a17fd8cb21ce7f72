// Benchmark 12: wall time of one operator CLI call (`--json list communities` against the API on
// 127.0.0.1, whole process: start, request, exit), the published bundle (dist/cli/anchorage.cjs, plain
// node) against the sources run through the swc register hook (what `npm run cli` ran before), with
// `node -e 0` as the floor. Target (issue): a call under 0.5 s.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createApiToken, type Platform } from '@anchorage/authority';
import { startServer, type RunningServer } from '../apps/api/src/server';
import { createBenchDatabase } from './lib/db';
import { QUICK, REPO_ROOT, tsNodeArgs } from './lib/env';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { Report } from './lib/report';
import { fmt, median, msSince } from './lib/stats';

const RUNS = QUICK ? 5 : 15;
const TARGET_MS = 500;

/** Runs node with `args` to its exit (asynchronously: this process serves the API the CLI calls); wall ms. */
function timedRun(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const proc = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const ms = msSince(start);
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}: ${out}`));
      else resolve(ms);
    });
  });
}

async function main(): Promise<void> {
  const report = new Report('12 CLI call');
  const db = await createBenchDatabase('cli');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  let srv: RunningServer | null = null;
  try {
    p = await openPlatform(opts);
    await benchCommunity(p, 'cli', 'EC-P256');
    const { token } = await createApiToken(p, 'bench', OPERATOR);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = await (require(join(REPO_ROOT, 'scripts', 'build-cli.cjs')) as { build: () => Promise<{ outfile: string; ms: number }> }).build();
    console.log(`bench 12: API on ${srv.url}; CLI bundle built in ${built.ms} ms`);
    const env = { ANCHORAGE_CLI_DIR: join(opts.dir, 'cli'), ANCHORAGE_API_URL: srv.url, ANCHORAGE_API_TOKEN: token };
    const call = ['--json', 'list', 'communities'];
    const variants = [
      { label: 'node -e 0 (floor)', args: ['-e', '0'] },
      { label: 'bundle (npm run cli)', args: [built.outfile, ...call] },
      { label: 'sources through the register hook', args: [...tsNodeArgs(join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts')), ...call] },
    ];
    const samples = variants.map(() => [] as number[]);
    // one untimed run of each (disk cache, swc's cache), then interleaved runs
    for (const v of variants) await timedRun(v.args, env);
    for (let i = 0; i < RUNS; i++) for (const [k, v] of variants.entries()) samples[k].push(await timedRun(v.args, env));
    const [floor, bundle, hook] = samples.map(median);
    variants.forEach((v, k) => console.log(`bench 12: ${v.label}: median ${fmt(median(samples[k]))} ms (${samples[k].map((x) => fmt(x)).join(', ')})`));
    report.add({ figure: 'node -e 0 (floor)', value: `${fmt(floor)} ms`, verdict: 'info', note: `${RUNS} runs of each, interleaved, after one untimed run; medians of the whole process's wall time` });
    report.add({
      figure: '`--json list communities`, bundle', value: `${fmt(bundle)} ms`, numeric: bundle, baseline: `${fmt(hook)} ms register hook`, ratio: bundle / hook,
      target: { op: '<', limit: TARGET_MS, on: 'value', unit: 'ms' },
    });
  } finally {
    await srv?.close();
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(12);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
