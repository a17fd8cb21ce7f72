// Collects benchmark figures, prints them as a table and leaves them for the run summary.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './env';
import { fmt } from './stats';

/** A target: a comparison against the ratio (default) or against the figure itself. */
export interface Target {
  op: '>=' | '<=' | '<';
  limit: number;
  on?: 'ratio' | 'value';
  /** Unit of `limit` when `on` is 'value'. */
  unit?: string;
}

/** One line of a summary. */
export interface Row {
  bench: string;
  figure: string;
  /** Measured figure, already formatted (e.g. "84.2 /s"). */
  value: string;
  /** Baseline measured in the same run, formatted; '' when there is none. */
  baseline: string;
  ratio: number | null;
  target: string;
  verdict: 'PASS' | 'MISS' | 'info' | 'skipped';
  note?: string;
}

function check(t: Target, ratio: number | null, value: number | null): 'PASS' | 'MISS' {
  const x = t.on === 'value' ? value : ratio;
  if (x === null || !Number.isFinite(x)) return 'MISS';
  if (t.op === '>=') return x >= t.limit ? 'PASS' : 'MISS';
  if (t.op === '<=') return x <= t.limit ? 'PASS' : 'MISS';
  return x < t.limit ? 'PASS' : 'MISS';
}

function describeTarget(t: Target): string {
  return t.on === 'value' ? `${t.op} ${fmt(t.limit)}${t.unit ? ` ${t.unit}` : ''}` : `ratio ${t.op} ${t.limit}`;
}

/** The rows of one benchmark. */
export class Report {
  readonly rows: Row[] = [];

  constructor(readonly bench: string) {}

  /** Adds a figure; a target is judged PASS/MISS but never fails the run. */
  add(r: { figure: string; value: string; numeric?: number; baseline?: string; ratio?: number | null; target?: Target; note?: string; verdict?: Row['verdict'] }): void {
    const ratio = r.ratio ?? null;
    const verdict = r.verdict ?? (r.target ? check(r.target, ratio, r.numeric ?? null) : 'info');
    this.rows.push({
      bench: this.bench, figure: r.figure, value: r.value, baseline: r.baseline ?? '', ratio,
      target: r.target ? describeTarget(r.target) : '', verdict, note: r.note,
    });
  }

  /** Prints the table and, under scripts/bench.sh, stores the rows for the final summary. */
  finish(order: number): void {
    console.log(`\n${renderText(this.rows)}\n`);
    if (RUN_DIR) {
      mkdirSync(RUN_DIR, { recursive: true });
      writeFileSync(join(RUN_DIR, `${String(order).padStart(2, '0')}.json`), JSON.stringify(this.rows, null, 2));
    }
  }
}

/** Reads every benchmark's rows left in `dir`, in benchmark order. */
export function readRows(dir: string): Row[] {
  return readdirSync(dir)
    .filter((f) => /^\d+\.json$/.test(f))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Row[]);
}

const HEAD = ['benchmark', 'figure', 'measured', 'baseline (same run)', 'ratio', 'target', 'result'];

function cells(r: Row): string[] {
  return [r.bench, r.figure, r.value, r.baseline, r.ratio === null ? '' : fmt(r.ratio), r.target, r.verdict];
}

/** A fixed-width text table. */
export function renderText(rows: Row[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((s, i) => s.padEnd(widths[i])).join(' | ').trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.bench} / ${r.figure}: ${r.note}`);
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map((r) => line(cells(r))), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

/** A markdown table with the notes below it. */
export function renderMarkdown(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`| ${HEAD.join(' | ')} |`, `| ${HEAD.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`];
  for (const r of rows) out.push(`| ${cells(r).map(esc).join(' | ')} |`);
  const notes = rows.filter((r) => r.note);
  if (notes.length) {
    out.push('', 'Notes:', '');
    for (const r of notes) out.push(`- **${r.bench} / ${r.figure}**: ${r.note}`);
  }
  return out.join('\n');
}
