// The freshness saw of a CA's CRLs: plain arithmetic, kept apart from the chart for its unit test.
import type { CrlReportView } from '@anchorage/contracts';

/** A point of a line over time. */
export interface TimePoint {
  t: number;
  v: number;
}

/** One CA of the CRL report. */
export type CaCrls = CrlReportView['cas'][number];
const HOUR = 3600;

/**
 * Freshness over time as a saw: each CRL starts with its whole lifetime left and loses it until the next
 * one replaces it (the drop to what was left then); the newest one is followed up to `now`. In hours.
 */
export function freshnessPoints(ca: CaCrls, now: number): TimePoint[] {
  return ca.crls.flatMap((c, i) => {
    const start = Date.parse(c.thisUpdate);
    const next = ca.crls[i + 1];
    const endT = next ? Date.parse(next.thisUpdate) : now;
    const endLeft = next ? c.secondsLeftAtReplacement ?? 0 : (Date.parse(c.nextUpdate) - now) / 1000;
    return [{ t: start, v: c.lifetimeSeconds / HOUR }, { t: endT, v: endLeft / HOUR }];
  });
}
