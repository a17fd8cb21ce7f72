import { UnrecoverableError, type Job } from 'bullmq';
import {
  checkConformanceEndpoint, createAuditCheckpoint, deliverConformanceAlert, deliverNotice, deliverStateNotice, deliverRevocationNotice, refreshStaleCrls, renewTestKits, runBulkRevocation,
  scanConformance,
  scanExpiry, type Actor, type Platform,
} from '@anchorage/authority';
import {
  AUDIT_CHECKPOINT, BULK_REVOKE, CONFORMANCE_ALERT, CONFORMANCE_CHECK, CONFORMANCE_SCAN, CRL_PUBLISH, CRL_REFRESH, EXPIRY_SCAN, JOBS, NOTICE_DELIVER,
  REVOCATION_NOTICE_DELIVER, STATE_NOTICE_DELIVER,
} from '@anchorage/jobs';

/** Settings the processors need. */
export interface ProcessorOptions {
  bulkBatchSize: number;
  noticeDays?: number[];
  caNoticeDays?: number[];
  /** Events since the last audit checkpoint that make an 'events' run sign one (default 1000). */
  auditCheckpointEvents?: number;
  /** The conformance scan's cycle, history retention and grace period (docs/conformance.md). */
  conformance?: { scanSeconds: number; retentionDays?: number; graceDays?: number };
}

/** The platform acting on its own: how the worker appears in the audit log. */
export const WORKER_ACTOR: Actor = { id: 'worker', role: 'system' };

/** Counts of what the processors did, by job name (exported as metrics). */
export class ProcessorCounters {
  readonly processed = new Map<string, number>();
  readonly skipped = new Map<string, number>();
  readonly failed = new Map<string, number>();
  revokedInBulk = 0;
  /** When a CRL sweep last completed (queued or in process), ms since the epoch. */
  lastCrlSweepAt = Date.now();
  /** Sweeps run in process because no queued one completed (Redis down). */
  directSweeps = 0;
  /** Milliseconds this worker's CRL regenerations paused to leave a busy machine to other work (crl-pacing.ts). */
  crlPausedMs = 0;

  /** Counts what a CRL sweep's regenerations paused. */
  countSweep(results: readonly { pausedMs?: number }[]): void {
    for (const r of results) this.crlPausedMs += r.pausedMs ?? 0;
  }

  /** Adds one to `name` in `map`. */
  bump(map: Map<string, number>, name: string): void {
    map.set(name, (map.get(name) ?? 0) + 1);
  }
}

/**
 * The processor of every queue: validates the payload against its definition, skips a job whose
 * outbox row is already completed (a redelivery), runs it, and marks the row completed. Each
 * processor re-reads state, so running one twice is harmless anyway.
 */
export function processJob(platform: Platform, counters: ProcessorCounters, o: ProcessorOptions): (job: Job) => Promise<unknown> {
  return async (job) => {
    const def = JOBS[job.name];
    if (!def) throw new UnrecoverableError(`no job definition named ${job.name}`);
    let payload: unknown;
    try {
      payload = def.parse(job.data);
    } catch (err) {
      throw new UnrecoverableError(`bad payload: ${(err as Error).message}`);
    }
    const relay = platform.db.outboxRelay;
    if (job.id && (await relay.isCompleted(job.id))) {
      counters.bump(counters.skipped, job.name);
      return { skipped: 'completed by an earlier delivery' };
    }
    const result = await run(platform, counters, job, payload, o);
    if (job.id) await relay.complete(job.id);
    counters.bump(counters.processed, job.name);
    return result;
  };
}

async function run(platform: Platform, counters: ProcessorCounters, job: Job, payload: unknown, o: ProcessorOptions): Promise<unknown> {
  switch (job.name) {
    case CRL_REFRESH.name: {
      const results = await refreshStaleCrls(platform, WORKER_ACTOR);
      counters.countSweep(results);
      const failed = results.filter((r) => r.action === 'failed');
      if (failed.length) throw new Error(`CRL refresh failed for ${failed.map((f) => `${f.caId}: ${f.error}`).join('; ')}`);
      counters.lastCrlSweepAt = Date.now();
      // communities' test kits (docs/test-certificates.md), regenerated before their leaves and CRLs lapse;
      // a kit that fails is logged and tried again by the next sweep, never failing the production CRLs' sweep
      const kits = await renewTestKits(platform, WORKER_ACTOR).catch((err: Error) => [{ communityId: '*', action: 'failed' as const, error: err.message }]);
      for (const k of kits) if (k.action === 'failed') console.error(`test kit of community ${k.communityId} not regenerated: ${k.error}`);
      return kits.length ? { crls: results, testKits: kits } : results;
    }
    case BULK_REVOKE.name: {
      const { bulkRevocationId } = BULK_REVOKE.parse(payload);
      const out = await runBulkRevocation(platform, bulkRevocationId, WORKER_ACTOR, {
        batchSize: o.bulkBatchSize,
        onBatch: async (p) => {
          await job.updateProgress({ revoked: p.revoked, total: p.total });
        },
      });
      counters.revokedInBulk += out.revokedThisRun;
      return { outcome: out.outcome, revokedThisRun: out.revokedThisRun, revoked: out.record.revoked, crlNumbers: out.record.crlNumbers };
    }
    case EXPIRY_SCAN.name: {
      const out = await scanExpiry(platform, { noticeDays: o.noticeDays, caNoticeDays: o.caNoticeDays }, WORKER_ACTOR);
      return { expired: out.expired.length, notices: out.notices.length };
    }
    case NOTICE_DELIVER.name: {
      return deliverNotice(platform, NOTICE_DELIVER.parse(payload).noticeId);
    }
    case STATE_NOTICE_DELIVER.name: {
      return deliverStateNotice(platform, STATE_NOTICE_DELIVER.parse(payload).noticeId);
    }
    case REVOCATION_NOTICE_DELIVER.name: {
      // the last attempt ends the delivery as failed (it stays visible; a retry from the queue page reopens it)
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return { outcome: await deliverRevocationNotice(platform, REVOCATION_NOTICE_DELIVER.parse(payload).deliveryId, { final }) };
    }
    case CRL_PUBLISH.name: {
      const out = await platform.repository.writeToDirectory(CRL_PUBLISH.parse(payload).caId);
      return { written: out.written, crlNumber: out.crlNumber?.toString() ?? null };
    }
    case AUDIT_CHECKPOINT.name: {
      const { reason } = AUDIT_CHECKPOINT.parse(payload);
      return createAuditCheckpoint(platform, { minEvents: reason === 'events' ? Math.max(1, o.auditCheckpointEvents ?? 1000) : 1 });
    }
    case CONFORMANCE_SCAN.name: {
      const c = o.conformance ?? { scanSeconds: 3600 };
      const out = await scanConformance(platform, { intervalSeconds: c.scanSeconds, retentionDays: c.retentionDays, graceDays: c.graceDays, dispatch: { kind: 'jobs' } });
      return { ...out.sync, pruned: out.pruned, queued: out.queued };
    }
    case CONFORMANCE_CHECK.name: {
      const { endpointId } = CONFORMANCE_CHECK.parse(payload);
      const endpoint = await platform.db.conformance.find(endpointId);
      if (!endpoint || endpoint.retiredAt) return { skipped: 'not monitored any more' };
      const out = await checkConformanceEndpoint(platform, endpointId, { trigger: 'schedule', actor: WORKER_ACTOR });
      return { status: out.check.status, checkId: out.check.id, alertId: out.alert?.id ?? null };
    }
    case CONFORMANCE_ALERT.name: {
      return deliverConformanceAlert(platform, CONFORMANCE_ALERT.parse(payload).alertId);
    }
    default:
      throw new UnrecoverableError(`no processor for ${job.name}`);
  }
}
