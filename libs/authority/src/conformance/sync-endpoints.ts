// The monitored set follows the live udap-server certificates (libs/db conformance-store.ts sync): every
// SAN URI of one is an endpoint; one whose certificates are all gone is still checked for a grace period
// (so a server still signing with its revoked certificate shows failing and alerts), then retired.
import type { ConformanceSyncOutcome } from '@anchorage/db';
import type { AuthorityDeps } from '../deps';

/** How long an endpoint without a live server certificate is still checked (default 7 days). */
export const DEFAULT_GRACE_DAYS = 7;

/** Syncs the monitored endpoints with the live server certificates. */
export function syncConformanceEndpoints(deps: Pick<AuthorityDeps, 'db' | 'clock'>, o: { graceDays?: number } = {}): Promise<ConformanceSyncOutcome> {
  return deps.db.conformance.sync(deps.clock.now(), (o.graceDays ?? DEFAULT_GRACE_DAYS) * 86_400_000);
}
