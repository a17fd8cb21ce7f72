// Prints the summary table of a bench run and writes it to bench/results/latest.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { withClient } from './lib/db';
import { ADMIN_URL, QUICK } from './lib/env';
import { readRows, renderMarkdown, renderText } from './lib/report';

async function postgresVersion(): Promise<string> {
  try {
    return await withClient(ADMIN_URL, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const [dir, seconds, failed] = process.argv.slice(2);
  if (!dir) throw new Error('usage: summary.ts <run dir> [seconds] [failed benchmarks]');
  const rows = readRows(dir);
  const openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB; Node ${process.version}; ${openssl}; PostgreSQL ${await postgresVersion()}`;
  const mode = QUICK ? 'quick (BENCH_QUICK=1)' : 'full';
  const took = seconds ? `${Math.floor(Number(seconds) / 60)} min ${Number(seconds) % 60} s` : 'unknown';
  const failedNote = failed ? `\nFailed benchmarks (no figures): ${failed}\n` : '';

  console.log(`\n== summary (${mode}, ${took})\n`);
  console.log(renderText(rows));
  if (failed) console.log(failedNote);

  const md = [
    '# Benchmark results',
    '',
    `Run ${new Date().toISOString()} — ${mode} mode, ${took} — \`npm run bench\` (scripts/bench.sh).`,
    '',
    `Machine: ${machine}.`,
    '',
    'Every ratio is against a baseline measured in the same run (raw `crypto.sign`, `openssl ca -gencrl`, a bare `node:http` server, step-ca), because the machine is shared and noisy. A MISS never fails the run.',
    '',
    renderMarkdown(rows),
    failedNote,
  ].join('\n');
  const out = join(__dirname, 'results', 'latest.md');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(out, `${md.trimEnd()}\n`);
  console.log(`\n(written to ${out})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
