// Settings shared by every benchmark: quick mode, where PostgreSQL is, where results go.
import { join } from 'node:path';

/** Root of the repository (bench/lib/.. /..). */
export const REPO_ROOT = join(__dirname, '..', '..');

/** BENCH_QUICK=1 shrinks sizes and request counts so the whole run takes a few minutes. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Admin URL of the PostgreSQL server the bench creates its throwaway databases on (loopback only). */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@localhost:5432/postgres';

/** Directory where each benchmark leaves its summary rows (set by scripts/bench.sh); null when run alone. */
export const RUN_DIR = process.env.BENCH_RUN_DIR ?? null;

/** Command line to run a TypeScript file with the repository's swc-node register hook. */
export function tsNodeArgs(file: string): string[] {
  return ['-r', join(REPO_ROOT, 'scripts', 'register.cjs'), file];
}
