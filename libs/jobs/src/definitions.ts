/** A job as data: its queue, name, default attempts and backoff, shared by producers and processors. */
export interface JobDefinition<P> {
  queue: string;
  name: string;
  attempts: number;
  backoffMs: number;
  /** Validates a payload; throws on a bad one. */
  parse(payload: unknown): P;
}

/** Payload of a CRL refresh sweep. */
export interface CrlRefreshPayload {
  reason: 'schedule' | 'startup' | 'manual';
}

/** Sweep every CA and regenerate CRLs past half their lifetime (see refreshStaleCrls). */
export const CRL_REFRESH: JobDefinition<CrlRefreshPayload> = {
  queue: 'anchorage-crl',
  name: 'crl-refresh',
  attempts: 5,
  backoffMs: 10_000,
  parse(payload) {
    const reason = (payload as { reason?: unknown })?.reason;
    if (reason !== 'schedule' && reason !== 'startup' && reason !== 'manual') throw new Error('crl-refresh payload needs reason: schedule | startup | manual');
    return { reason };
  },
};

/** A repeating job, registered with BullMQ's upsertJobScheduler when a worker starts. */
export interface Schedule {
  /** Scheduler id: derived from the subject, so every worker replica upserts the same one. */
  id: string;
  job: JobDefinition<unknown>;
  everyMs: number;
  payload: unknown;
}

/** The one schedule table of the platform. */
export function schedules(o: { crlRefreshSeconds: number }): Schedule[] {
  return [{ id: 'crl-refresh', job: CRL_REFRESH as JobDefinition<unknown>, everyMs: o.crlRefreshSeconds * 1000, payload: { reason: 'schedule' } }];
}
