// Bulk revocations and what starts them, the worker's queues, expiry notices and the dashboard.
import { z } from 'zod';
import { endpointCheckFailureSchema, timestamp, uuid, view } from './common';
import { caStatusSchema, caViewSchema } from './communities';
import { organizationStatusSchema, organizationViewSchema } from './organizations';

/** A bulk revocation: every live certificate of a suspended organization or a retired or compromised CA. */
export const bulkRevocationViewSchema = view({
  id: uuid,
  communityId: uuid,
  organizationId: uuid.nullable(),
  caId: uuid.nullable(),
  /** RFC 5280 reason name given to every certificate. */
  reason: z.string(),
  cause: z.enum(['organization-suspended', 'ca-retired', 'ca-compromised']),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  /** Certificates to revoke (counted when a run starts; null before). */
  total: z.number().int().nullable(),
  revoked: z.number().int(),
  batches: z.number().int(),
  /** CRL number of each CA's CRL that lists all of them, once completed. */
  crlNumbers: z.record(z.string()),
  requestedBy: z.string(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  lastError: z.string().nullable(),
});
/** A bulk revocation: every live certificate of a suspended organization or a retired or compromised CA. */
export type BulkRevocationView = z.infer<typeof bulkRevocationViewSchema>;

/** The answer to retiring an issuing CA or declaring it compromised. */
export const endedCaViewSchema = view({
  ca: caViewSchema,
  bulkRevocation: bulkRevocationViewSchema,
  /** CRL number of the parent's CRL that lists the CA, or null when the parent is an offline root. */
  parentCrlNumber: z.string().nullable(),
  /** What the operator must still do (an offline root's operator revokes the CA's certificate). */
  notice: z.string().nullable(),
});
/** The answer to retiring an issuing CA or declaring it compromised. */
export type EndedCaView = z.infer<typeof endedCaViewSchema>;

/** The answer to a suspension: the organization and the bulk revocation it started, if any. */
export const suspensionViewSchema = organizationViewSchema.extend({ bulkRevocation: bulkRevocationViewSchema.nullable() });
/** The answer to a suspension: the organization and the bulk revocation it started, if any. */
export type SuspensionView = z.infer<typeof suspensionViewSchema>;

/**
 * Certificates an action would touch, counted at `at` through the partial indexes on unrevoked rows:
 * `live` (issued and not expired), `onHold` (suspended, not expired); `toRevoke` is what a bulk
 * revocation marks revoked (every issued or on-hold one, expired ones included).
 */
export const affectedCertificatesSchema = view({
  live: z.number().int(),
  onHold: z.number().int(),
  toRevoke: z.number().int(),
});
/** Certificates an action would touch (see the schema). */
export type AffectedCertificates = z.infer<typeof affectedCertificatesSchema>;

/** One SAN URI an approval binds for good, and the state of its endpoint-control check. */
export const sanUriImpactSchema = view({
  uri: z.string(),
  /** Already bound to the organization (an earlier approval or an operator's binding). */
  alreadyBound: z.boolean(),
  /** verified; failed (with `lastError`); pending (started, never run to success or failure); never-checked (no check at all). */
  check: z.enum(['verified', 'failed', 'pending', 'never-checked']),
  lastError: endpointCheckFailureSchema.nullable(),
  checkedAt: timestamp.nullable(),
});
/** One SAN URI an approval binds for good, and the state of its endpoint-control check. */
export type SanUriImpact = z.infer<typeof sanUriImpactSchema>;

/** What the operator's decisions on an organization would do, read before deciding. */
export const organizationImpactViewSchema = view({
  organizationId: uuid,
  name: z.string(),
  status: organizationStatusSchema,
  at: timestamp,
  /** What a suspension with revocation would revoke. */
  certificates: affectedCertificatesSchema,
  /** The profile revision an approval would approve, and the SAN URIs it would bind for good. */
  profileRevision: z.number().int(),
  sanUris: z.array(sanUriImpactSchema),
});
/** What the operator's decisions on an organization would do, read before deciding. */
export type OrganizationImpactView = z.infer<typeof organizationImpactViewSchema>;

/** What retiring an issuing CA or declaring it compromised would do, read before deciding. */
export const caImpactViewSchema = view({
  caId: uuid,
  subject: z.string(),
  role: z.enum(['root', 'issuing']),
  status: caStatusSchema,
  at: timestamp,
  /** What the bulk revocation would revoke: every certificate it issued. */
  certificates: affectedCertificatesSchema,
  /** The parent whose CRL lists the CA's own certificate (null for a root). */
  parent: view({ id: uuid, subject: z.string(), offline: z.boolean() }).nullable(),
  /** The platform revokes the CA's certificate on the parent's CRL itself (false: an offline root's operator must). */
  revokedOnParentCrl: z.boolean(),
});
/** What retiring an issuing CA or declaring it compromised would do, read before deciding. */
export type CaImpactView = z.infer<typeof caImpactViewSchema>;

/** Jobs of one queue by state, as BullMQ counts them. */
export const queueCountsViewSchema = view({
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  failed: z.number().int(),
  completed: z.number().int(),
  paused: z.number().int(),
});
/** Jobs of one queue by state, as BullMQ counts them. */
export type QueueCountsView = z.infer<typeof queueCountsViewSchema>;

/** The worker's queues and the outbox relay's backlog (GET /api/v1/queues). */
export const queuesViewSchema = view({
  queues: z.array(view({ name: z.string(), counts: queueCountsViewSchema })),
  outbox: view({
    /** Jobs committed but not yet moved into Redis (Redis down, or no worker running). */
    unrelayed: z.number().int(),
    oldestUnrelayedSeconds: z.number(),
    /** Jobs moved into Redis and not finished yet. */
    relayedIncomplete: z.number().int(),
  }),
});
/** The worker's queues and the outbox relay's backlog (GET /api/v1/queues). */
export type QueuesView = z.infer<typeof queuesViewSchema>;

/** A job that failed (GET /api/v1/queues/{name}/failed). */
export const failedJobViewSchema = view({
  /** Job id (derived from the subject, e.g. bulk-revoke.<uuid>). */
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  /** The error of the last attempt. */
  failedReason: z.string(),
  attemptsMade: z.number().int(),
  /** Attempts allowed before the job stays failed. */
  attempts: z.number().int(),
  data: z.record(z.unknown()),
  /** When it was added and when it last failed (ISO). */
  createdAt: timestamp,
  failedAt: timestamp.nullable(),
});
/** A job that failed (GET /api/v1/queues/{name}/failed). */
export type FailedJobView = z.infer<typeof failedJobViewSchema>;

/** An expiry notice and what its delivery did. */
export const expiryNoticeViewSchema = view({
  id: uuid,
  subjectType: z.enum(['certificate', 'ca']),
  certificateId: uuid.nullable(),
  caId: uuid.nullable(),
  organizationId: uuid.nullable(),
  communityId: uuid,
  thresholdDays: z.number().int(),
  notAfter: timestamp,
  createdAt: timestamp,
  emailTo: z.array(z.string()),
  emailSentAt: timestamp.nullable(),
  webhookUrl: z.string().nullable(),
  webhookDeliveredAt: timestamp.nullable(),
  webhookAttempts: z.number().int(),
  /** The last error: of the webhook while it is not delivered (an OutboundFailure code), else of the e-mail. */
  lastError: z.string().nullable(),
});
/** An expiry notice and what its delivery did. */
export type ExpiryNoticeView = z.infer<typeof expiryNoticeViewSchema>;

/** What the console's dashboard shows, within the caller's scope. */
export const dashboardViewSchema = view({
  pendingRequests: z.number().int(),
  organizationsAwaitingReview: z.number().int(),
  /** The newest CRL of each CA, and how long until it must be replaced. */
  crls: z.array(view({
    caId: uuid, caSubject: z.string(), caRole: z.enum(['root', 'issuing']), communityId: uuid,
    /** CA status (a retired or compromised CA still publishes CRLs). */
    caStatus: caStatusSchema,
    /** An offline root: its CRL is issued and published by its own operator, never by the platform. */
    external: z.boolean(),
    crlNumber: z.string().nullable(), nextUpdate: timestamp.nullable(), secondsUntilNextUpdate: z.number().int().nullable(), entryCount: z.number().int().nullable(),
  })),
  expiringSoon: view({
    withinDays: z.number().int(),
    total: z.number().int(),
    certificates: z.array(view({ id: uuid, serial: z.string(), organizationId: uuid, sanUris: z.array(z.string()), notAfter: timestamp })),
  }),
});
/** What the console's dashboard shows, within the caller's scope. */
export type DashboardView = z.infer<typeof dashboardViewSchema>;
