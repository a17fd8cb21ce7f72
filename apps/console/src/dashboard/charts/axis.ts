/** A round upper bound for a chart's axis (1, 2, 5 × 10^n) at or above `max`, never below `min`. */
export function niceMax(max: number, min = 1): number {
  const m = Math.max(max, min);
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((f) => f * p).find((v) => v >= m) ?? m;
}

/** Ticks from 0 to `top` (a niceMax) at whole steps: 5, 4, 2 or 1 of them, the most that divide `top` evenly. */
export function ticks(top: number): number[] {
  const count = [5, 4, 2, 1].find((n) => Number.isInteger(top / n)) ?? 1;
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

/** A tick's text: whole numbers as such, else one decimal. */
export const tickText = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
