// The monitoring cycle (docs/conformance.md), run by the worker every ANCHORAGE_CONFORMANCE_SCAN_SECONDS:
// sync the monitored set with the live server certificates, apply the history's retention, and take
// every endpoint due for a check. An endpoint is due once a cycle: taking it moves its due time one
// interval on, and what falls due within a tenth of an interval counts as due now, so a scan that runs a
// little early still takes everything checked by the previous one (a revocation is seen within one cycle).
//
// The worker dispatches the checks as jobs: one `conformance-check` job per endpoint and lease, written to
// the outbox in the transaction that leases it (crash-safe, retried, spread over every worker replica,
// bounded by the queue's concurrency). Without a queue (the benchmark's in-process mode, tests, tools)
// the checks run here, `concurrency` at a time.
import { CONFORMANCE_CHECK, outboxEntry } from '@anchorage/jobs';
import type { ConformanceSyncOutcome, LeasedEndpoint } from '@anchorage/db';
import { WORKER_SYSTEM_ACTOR } from './actor';
import type { AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { checkConformanceEndpoint } from './check-endpoint';
import { syncConformanceEndpoints } from './sync-endpoints';

/** How long checks are kept (default 30 days; an endpoint's newest check and those alerts name stay). */
export const DEFAULT_RETENTION_DAYS = 30;
/** Endpoints leased per statement (and per outbox transaction). */
const LEASE_BATCH = 500;
/** Checks deleted per retention statement. */
const PRUNE_BATCH = 5000;

/** Settings of a scan. */
export interface ConformanceScanOptions {
  /** The cycle: how often each endpoint is checked. */
  intervalSeconds: number;
  retentionDays?: number;
  graceDays?: number;
  /** Queue a job per endpoint (the worker), or check in this call, `concurrency` at a time. */
  dispatch: { kind: 'jobs' } | { kind: 'inline'; concurrency: number };
  /** Told of each check that could not be recorded (inline dispatch). */
  onError?: (endpointId: string, err: Error) => void;
}

/** What a scan did. */
export interface ConformanceScanOutcome {
  sync: ConformanceSyncOutcome;
  pruned: number;
  /** Endpoints taken for a check. */
  due: number;
  /** Checks queued as jobs (jobs dispatch). */
  queued: number;
  /** Checks recorded here (inline dispatch), how many failing, and how many could not be recorded. */
  checked: number;
  failing: number;
  errors: number;
}

/** Runs one monitoring cycle (see the file comment). */
export async function scanConformance(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'urls' | 'outbound' | 'conformanceFetch'>, o: ConformanceScanOptions): Promise<ConformanceScanOutcome> {
  if (!Number.isInteger(o.intervalSeconds) || o.intervalSeconds < 1) throw new DomainError('validation', 'the conformance scan interval must be a whole number of seconds');
  const now = deps.clock.now();
  const sync = await syncConformanceEndpoints(deps, { graceDays: o.graceDays });
  const before = new Date(now.getTime() - (o.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000);
  let pruned = 0;
  for (let round = 0; round < 100; round++) {
    const n = await deps.db.conformance.prune(before, PRUNE_BATCH);
    pruned += n;
    if (n < PRUNE_BATCH) break;
  }
  const intervalMs = o.intervalSeconds * 1000;
  const dueBy = new Date(now.getTime() + Math.floor(intervalMs / 10));
  const leaseUntil = new Date(now.getTime() + intervalMs);
  const out: ConformanceScanOutcome = { sync, pruned, due: 0, queued: 0, checked: 0, failing: 0, errors: 0 };
  const dispatch = o.dispatch;
  for (;;) {
    let leased: LeasedEndpoint[];
    if (dispatch.kind === 'jobs') {
      leased = await deps.db.transaction(async (tx) => {
        const taken = await tx.conformance.leaseDue(dueBy, leaseUntil, LEASE_BATCH);
        out.queued += await tx.outbox.enqueueMany(taken.map((e) => outboxEntry(CONFORMANCE_CHECK, { endpointId: e.id, organizationId: e.organizationId, lease: String(leaseUntil.getTime()) })));
        return taken;
      });
    } else {
      leased = await deps.db.conformance.leaseDue(dueBy, leaseUntil, LEASE_BATCH);
      await inParallel(leased, dispatch.concurrency, async (e) => {
        try {
          const r = await checkConformanceEndpoint(deps, e.id, { trigger: 'schedule', actor: WORKER_SYSTEM_ACTOR });
          out.checked += 1;
          if (r.check.status === 'failing') out.failing += 1;
        } catch (err) {
          out.errors += 1;
          o.onError?.(e.id, err as Error);
        }
      });
    }
    out.due += leased.length;
    if (leased.length < LEASE_BATCH) break;
  }
  return out;
}

/** Runs `fn` over `items`, at most `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
