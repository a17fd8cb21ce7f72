// Settings shared by every benchmark: quick mode, where PostgreSQL is, where results go.
import { join } from 'node:path';

/** Root of the repository (bench/lib/.. /..). */
export const REPO_ROOT = join(__dirname, '..', '..');

/** BENCH_QUICK=1 shrinks sizes and request counts so the whole run takes a few minutes. */
export const QUICK = process.env.BENCH_QUICK === '1';

/**
 * Issuances before an issuance benchmark measures (BENCH_ISSUANCE_WARMUP overrides), the same for every
 * server it compares. The platform runs on a JIT: it must have compiled its hot paths before a figure
 * means what a CA that runs for months does. 400 was not enough: V8's optimizing compiler finished
 * two thirds of the API's hot functions (340 of 515, counted with --trace-opt) and the signer's (128
 * of 187) during the timed one-in-flight load, and the API spent 1.9-2.3 ms of CPU per issuance
 * there against 1.0-1.2 ms after 4,000 (67 and 13 functions then left to optimize). step-ca, compiled
 * ahead of time, measures the same either way.
 */
export const ISSUANCE_WARMUP = Number(process.env.BENCH_ISSUANCE_WARMUP ?? (QUICK ? 1000 : 4000));

/** Admin URL of the PostgreSQL server the bench creates its throwaway databases on (loopback only). */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@localhost:5432/postgres';

/** Directory where each benchmark leaves its summary rows (set by scripts/bench.sh); null when run alone. */
export const RUN_DIR = process.env.BENCH_RUN_DIR ?? null;

/** Command line to run a TypeScript file with the repository's swc-node register hook. */
export function tsNodeArgs(file: string): string[] {
  return ['-r', join(REPO_ROOT, 'scripts', 'register.cjs'), file];
}
