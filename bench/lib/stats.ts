// Small statistics and formatting helpers.

/** The value at quantile q (0..1) by nearest rank over a copy sorted ascending. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Median (nearest rank, lower middle for even counts). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Largest value. */
export function max(values: readonly number[]): number {
  return values.reduce((m, v) => (v > m ? v : m), Number.NEGATIVE_INFINITY);
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A number with a sensible count of digits for a table. */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString('en-US');
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  return n.toPrecision(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Duration in ms or s. */
export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${fmt(ms / 1000)} s` : `${fmt(ms)} ms`;
}

/** A count like 1k, 10k, 1M. */
export function fmtCount(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return n.toLocaleString('en-US');
}

/** Epoch milliseconds with sub-millisecond resolution: a clock every process of the machine shares. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
