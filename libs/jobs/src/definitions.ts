/**
 * The record a job is about: its community decides which community-scoped operators may see the job
 * (its payload, its error) and retry it. Platform-wide sweeps have none.
 */
export interface JobSubject {
  kind: 'ca' | 'organization' | 'bulk-revocation' | 'notice' | 'revocation-delivery';
  id: string;
}

/** A job as data: its queue, name, default attempts and backoff, shared by producers and processors. */
export interface JobDefinition<P> {
  queue: string;
  name: string;
  attempts: number;
  backoffMs: number;
  /** Validates a payload; throws on a bad one. */
  parse(payload: unknown): P;
  /** The job id, derived from the subject, so producing the same work twice queues it once (BullMQ refuses ":" in ids; "." separates). */
  jobId(payload: P): string;
  /** What the job is about; null for a platform-wide job. */
  subject(payload: P): JobSubject | null;
}

/** A job ready for the outbox: what a use case writes in the transaction of its state change. */
export interface OutboxEntry {
  jobId: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/** The outbox entry of a job (validated, id derived from the payload). */
export function outboxEntry<P extends object>(def: JobDefinition<P>, payload: P): OutboxEntry {
  const p = def.parse(payload);
  return { jobId: def.jobId(p), queue: def.queue, name: def.name, payload: p as Record<string, unknown> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuidField(payload: unknown, field: string, job: string): string {
  const v = (payload as Record<string, unknown> | null)?.[field];
  if (typeof v !== 'string' || !UUID.test(v)) throw new Error(`${job} payload needs ${field}: a UUID`);
  return v;
}

/** Queue of CRL work: scheduled sweeps and the regeneration of one CA's CRL. */
export const CRL_QUEUE = 'anchorage-crl';
/** Queue of revocation work: bulk revocations. */
export const REVOCATION_QUEUE = 'anchorage-revocation';

/** Queue of notices: expiry scans and the delivery of each notice (e-mail, webhook). */
export const NOTICES_QUEUE = 'anchorage-notices';

/** Queue of publication: writing CRLs, CA certificates and trust bundles to the publishers. */
export const PUBLISH_QUEUE = 'anchorage-publish';

/**
 * Queue of relying-party revocation notices: a queue of their own, so a notice is never behind an
 * expiry scan or a slow member webhook (relying servers are told within a second of a revocation).
 */
export const REVOCATION_NOTICES_QUEUE = 'anchorage-revocation-notices';

/** Queue of endpoint conformance: the scan and the check of each endpoint (docs/conformance.md). */
export const CONFORMANCE_QUEUE = 'anchorage-conformance';

/** Every queue the worker processes (the console's queue page lists these). */
export const QUEUES = [CRL_QUEUE, REVOCATION_QUEUE, NOTICES_QUEUE, PUBLISH_QUEUE, REVOCATION_NOTICES_QUEUE, CONFORMANCE_QUEUE] as const;

/** Payload of a CRL refresh sweep. */
export interface CrlRefreshPayload {
  reason: 'schedule' | 'startup' | 'manual';
}

/** Sweep every CA and regenerate CRLs past half their lifetime (see refreshStaleCrls). */
export const CRL_REFRESH: JobDefinition<CrlRefreshPayload> = {
  queue: CRL_QUEUE,
  name: 'crl-refresh',
  attempts: 5,
  backoffMs: 10_000,
  parse(payload) {
    const reason = (payload as { reason?: unknown })?.reason;
    if (reason !== 'schedule' && reason !== 'startup' && reason !== 'manual') throw new Error('crl-refresh payload needs reason: schedule | startup | manual');
    return { reason };
  },
  jobId: (p) => `crl-refresh.${p.reason}`,
  subject: () => null,
};

/** Payload of a bulk revocation job. */
export interface BulkRevokePayload {
  bulkRevocationId: string;
}

/**
 * Revoke every live certificate of a suspended organization or of a retired or compromised issuing
 * CA, in batches, then regenerate the CRLs (authority runBulkRevocation). Many attempts: it must
 * finish, and each attempt resumes where the last stopped.
 */
export const BULK_REVOKE: JobDefinition<BulkRevokePayload> = {
  queue: REVOCATION_QUEUE,
  name: 'bulk-revoke',
  attempts: 20,
  backoffMs: 5_000,
  parse: (payload) => ({ bulkRevocationId: uuidField(payload, 'bulkRevocationId', 'bulk-revoke') }),
  jobId: (p) => `bulk-revoke.${p.bulkRevocationId}`,
  subject: (p) => ({ kind: 'bulk-revocation', id: p.bulkRevocationId }),
};

/** Payload of an expiry scan. */
export interface ExpiryScanPayload {
  reason: 'schedule' | 'startup' | 'manual';
}

/** Marks expired certificates and records the expiry notices due (authority scanExpiry). */
export const EXPIRY_SCAN: JobDefinition<ExpiryScanPayload> = {
  queue: NOTICES_QUEUE,
  name: 'expiry-scan',
  attempts: 5,
  backoffMs: 30_000,
  parse(payload) {
    const reason = (payload as { reason?: unknown })?.reason;
    if (reason !== 'schedule' && reason !== 'startup' && reason !== 'manual') throw new Error('expiry-scan payload needs reason: schedule | startup | manual');
    return { reason };
  },
  jobId: (p) => `expiry-scan.${p.reason}`,
  subject: () => null,
};

/** Payload of a notice delivery. */
export interface NoticeDeliverPayload {
  noticeId: string;
}

/**
 * Delivers one expiry notice: the e-mail once, then the signed webhook until it is accepted,
 * retried with exponential backoff from 30 s (about 4 hours over 10 attempts).
 */
export const NOTICE_DELIVER: JobDefinition<NoticeDeliverPayload> = {
  queue: NOTICES_QUEUE,
  name: 'notice-deliver',
  attempts: 10,
  backoffMs: 30_000,
  parse: (payload) => ({ noticeId: uuidField(payload, 'noticeId', 'notice-deliver') }),
  jobId: (p) => `notice.${p.noticeId}`,
  subject: (p) => ({ kind: 'notice', id: p.noticeId }),
};

/** Payload of a state notice delivery. */
export interface StateNoticeDeliverPayload {
  noticeId: string;
  /** The organization the change is about (scopes the job to its community). */
  organizationId: string;
}

/**
 * Delivers one notice of a state change (a request submitted, issued or rejected; an organization
 * submitted, approved, rejected, suspended or reinstated): the e-mail once, then the member's signed
 * webhook until accepted, retried with exponential backoff from 30 s (about 4 hours over 10 attempts).
 */
export const STATE_NOTICE_DELIVER: JobDefinition<StateNoticeDeliverPayload> = {
  queue: NOTICES_QUEUE,
  name: 'state-notice-deliver',
  attempts: 10,
  backoffMs: 30_000,
  parse: (payload) => ({ noticeId: uuidField(payload, 'noticeId', 'state-notice-deliver'), organizationId: uuidField(payload, 'organizationId', 'state-notice-deliver') }),
  jobId: (p) => `state-notice.${p.noticeId}`,
  subject: (p) => ({ kind: 'organization', id: p.organizationId }),
};

/** The job id of a revocation notice delivery is this followed by the delivery id. */
export const REVOCATION_NOTICE_JOB_PREFIX = 'revocation-notice.';

/** Payload of a revocation notice delivery. */
export interface RevocationNoticeDeliverPayload {
  deliveryId: string;
}

/**
 * Delivers one revocation notice to one relying party's callback (authority
 * deliverRevocationNotice): written with the CRL (libs/db crl-generation.ts recordRevocationNotice,
 * which builds the job id `revocation-notice.<deliveryId>` itself), retried with exponential backoff
 * from 2 s over 12 attempts (2 s, 4 s, ... 68 min: about 2 h 16 min in all), the same notice id each time.
 */
export const REVOCATION_NOTICE_DELIVER: JobDefinition<RevocationNoticeDeliverPayload> = {
  queue: REVOCATION_NOTICES_QUEUE,
  name: 'revocation-notice-deliver',
  attempts: 12,
  backoffMs: 2_000,
  parse: (payload) => ({ deliveryId: uuidField(payload, 'deliveryId', 'revocation-notice-deliver') }),
  jobId: (p) => `${REVOCATION_NOTICE_JOB_PREFIX}${p.deliveryId}`,
  subject: (p) => ({ kind: 'revocation-delivery', id: p.deliveryId }),
};


/** Payload of a publication: the CA whose CRL (number `crlNumber`, decimal) was just committed. */
export interface CrlPublishPayload {
  caId: string;
  crlNumber: string;
}

/**
 * Writes the CA's certificate, trust bundle and newest CRL to the publish directory (authority
 * PublicRepository.writeToDirectory), queued in the transaction of every new CRL; retried until it
 * succeeds, never holding up CRL generation.
 */
export const CRL_PUBLISH: JobDefinition<CrlPublishPayload> = {
  queue: PUBLISH_QUEUE,
  name: 'crl-publish',
  attempts: 12,
  backoffMs: 5_000,
  parse(payload) {
    const caId = uuidField(payload, 'caId', 'crl-publish');
    const n = (payload as { crlNumber?: unknown }).crlNumber;
    if (typeof n !== 'string' || !/^[1-9]\d{0,18}$/.test(n)) throw new Error('crl-publish payload needs crlNumber: a positive decimal string');
    return { caId, crlNumber: n };
  },
  jobId: (p) => `crl-publish.${p.caId}.${p.crlNumber}`,
  subject: (p) => ({ kind: 'ca', id: p.caId }),
};

/** Payload of an audit checkpoint run; 'events' runs sign only once enough events arrived since the last checkpoint. */
export interface AuditCheckpointPayload {
  reason: 'schedule' | 'startup' | 'manual' | 'events';
}

/**
 * Signs a checkpoint of the audit chain head with the audit key and publishes it (authority
 * createAuditCheckpoint); nothing is signed when the head has not moved, so a run is always safe.
 */
export const AUDIT_CHECKPOINT: JobDefinition<AuditCheckpointPayload> = {
  queue: PUBLISH_QUEUE,
  name: 'audit-checkpoint',
  attempts: 5,
  backoffMs: 10_000,
  parse(payload) {
    const reason = (payload as { reason?: unknown })?.reason;
    if (reason !== 'schedule' && reason !== 'startup' && reason !== 'manual' && reason !== 'events') {
      throw new Error('audit-checkpoint payload needs reason: schedule | startup | manual | events');
    }
    return { reason };
  },
  jobId: (p) => `audit-checkpoint.${p.reason}`,
  subject: () => null,
};

/** Payload of a conformance scan. */
export interface ConformanceScanPayload {
  reason: 'schedule' | 'startup' | 'manual';
}

/**
 * Syncs the monitored endpoints with the live server certificates, prunes old checks, and queues a
 * check of every endpoint due (authority scanConformance).
 */
export const CONFORMANCE_SCAN: JobDefinition<ConformanceScanPayload> = {
  queue: CONFORMANCE_QUEUE,
  name: 'conformance-scan',
  attempts: 5,
  backoffMs: 30_000,
  parse(payload) {
    const reason = (payload as { reason?: unknown })?.reason;
    if (reason !== 'schedule' && reason !== 'startup' && reason !== 'manual') throw new Error('conformance-scan payload needs reason: schedule | startup | manual');
    return { reason };
  },
  jobId: (p) => `conformance-scan.${p.reason}`,
  subject: () => null,
};

/** Payload of one endpoint's check: the endpoint, its organization (the job's subject) and the lease it was due under. */
export interface ConformanceCheckPayload {
  endpointId: string;
  organizationId: string;
  /** The lease of the scan that queued it (ms since the epoch, decimal): one job per endpoint and lease. */
  lease: string;
}

/**
 * Checks one endpoint's UDAP metadata and records the result (authority checkConformanceEndpoint). A
 * check that cannot reach the server is a recorded result, not a failure of the job; the job fails
 * (and is retried) only when the platform itself could not record it.
 */
export const CONFORMANCE_CHECK: JobDefinition<ConformanceCheckPayload> = {
  queue: CONFORMANCE_QUEUE,
  name: 'conformance-check',
  attempts: 3,
  backoffMs: 10_000,
  parse(payload) {
    const endpointId = uuidField(payload, 'endpointId', 'conformance-check');
    const organizationId = uuidField(payload, 'organizationId', 'conformance-check');
    const lease = (payload as { lease?: unknown }).lease;
    if (typeof lease !== 'string' || !/^[1-9]\d{0,15}$/.test(lease)) throw new Error('conformance-check payload needs lease: ms since the epoch as a decimal string');
    return { endpointId, organizationId, lease };
  },
  jobId: (p) => `conformance-check.${p.endpointId}.${p.lease}`,
  subject: (p) => ({ kind: 'organization', id: p.organizationId }),
};

/** Payload of a conformance alert's delivery. */
export interface ConformanceAlertPayload {
  alertId: string;
  organizationId: string;
}

/**
 * Delivers one conformance alert (an endpoint went from passing to failing): the e-mail to the
 * organization's member admins and the community's operators once, then the signed webhook until it is
 * accepted, like an expiry notice.
 */
export const CONFORMANCE_ALERT: JobDefinition<ConformanceAlertPayload> = {
  queue: NOTICES_QUEUE,
  name: 'conformance-alert',
  attempts: 10,
  backoffMs: 30_000,
  parse: (payload) => ({ alertId: uuidField(payload, 'alertId', 'conformance-alert'), organizationId: uuidField(payload, 'organizationId', 'conformance-alert') }),
  jobId: (p) => `conformance-alert.${p.alertId}`,
  subject: (p) => ({ kind: 'organization', id: p.organizationId }),
};

/** Every job definition, by name (the processor's dispatch table). */
export const JOBS: Record<string, JobDefinition<unknown>> = Object.fromEntries(
  [CRL_REFRESH, BULK_REVOKE, EXPIRY_SCAN, NOTICE_DELIVER, STATE_NOTICE_DELIVER, CRL_PUBLISH, AUDIT_CHECKPOINT, REVOCATION_NOTICE_DELIVER, CONFORMANCE_SCAN, CONFORMANCE_CHECK, CONFORMANCE_ALERT]
    .map((d) => [d.name, d as JobDefinition<unknown>]),
);

/**
 * The subject of a job found in a queue, from its name and payload: null for a platform-wide job, and
 * for a name or payload the platform does not know (nobody scoped should see what cannot be placed).
 */
export function jobSubject(name: string, data: unknown): JobSubject | null {
  const def = Object.hasOwn(JOBS, name) ? JOBS[name] : undefined;
  if (!def) return null;
  try {
    return def.subject(def.parse(data));
  } catch {
    return null;
  }
}

/** A repeating job, registered with BullMQ's upsertJobScheduler when a worker starts. */
export interface Schedule {
  /** Scheduler id: derived from the subject, so every worker replica upserts the same one. */
  id: string;
  job: JobDefinition<unknown>;
  everyMs: number;
  payload: unknown;
}

/** How often the audit checkpoint looks whether enough events arrived (the 'events' runs; cheap when not). */
export const AUDIT_CHECKPOINT_EVENTS_POLL_MS = 60_000;

/**
 * The one schedule table of the platform. Conformance scan: every `conformanceScanSeconds` (default 3600). Audit checkpoints: every `auditCheckpointSeconds` (default
 * 600), and, unless `auditCheckpointEvents` is 0, a look every minute whether that many events arrived.
 */
export function schedules(o: {
  crlRefreshSeconds: number; expiryScanSeconds: number; auditCheckpointSeconds?: number; auditCheckpointEvents?: number; conformanceScanSeconds?: number;
}): Schedule[] {
  return [
    { id: 'crl-refresh', job: CRL_REFRESH as JobDefinition<unknown>, everyMs: o.crlRefreshSeconds * 1000, payload: { reason: 'schedule' } },
    { id: 'expiry-scan', job: EXPIRY_SCAN as JobDefinition<unknown>, everyMs: o.expiryScanSeconds * 1000, payload: { reason: 'schedule' } },
    { id: 'audit-checkpoint', job: AUDIT_CHECKPOINT as JobDefinition<unknown>, everyMs: (o.auditCheckpointSeconds ?? 600) * 1000, payload: { reason: 'schedule' } },
    ...((o.auditCheckpointEvents ?? 1000) > 0
      ? [{ id: 'audit-checkpoint-events', job: AUDIT_CHECKPOINT as JobDefinition<unknown>, everyMs: AUDIT_CHECKPOINT_EVENTS_POLL_MS, payload: { reason: 'events' } }]
      : []),
    { id: 'conformance-scan', job: CONFORMANCE_SCAN as JobDefinition<unknown>, everyMs: (o.conformanceScanSeconds ?? 3600) * 1000, payload: { reason: 'schedule' } },
  ];
}
