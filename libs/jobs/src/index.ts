export {
  BULK_REVOKE, CRL_PUBLISH, CRL_QUEUE, CRL_REFRESH, EXPIRY_SCAN, PUBLISH_QUEUE, JOBS, NOTICE_DELIVER, NOTICES_QUEUE, QUEUES, REVOCATION_QUEUE, jobSubject, outboxEntry, schedules,
  type BulkRevokePayload, type CrlPublishPayload, type CrlRefreshPayload, type ExpiryScanPayload, type JobDefinition, type JobSubject, type NoticeDeliverPayload, type OutboxEntry,
  type Schedule,
} from './definitions';
export { STATE_NOTICE_DELIVER, type StateNoticeDeliverPayload } from './definitions';
export { REVOCATION_NOTICE_DELIVER, REVOCATION_NOTICE_JOB_PREFIX, REVOCATION_NOTICES_QUEUE, type RevocationNoticeDeliverPayload } from './definitions';
export { AUDIT_CHECKPOINT, AUDIT_CHECKPOINT_EVENTS_POLL_MS, type AuditCheckpointPayload } from './definitions';
export {
  CONFORMANCE_ALERT, CONFORMANCE_CHECK, CONFORMANCE_QUEUE, CONFORMANCE_SCAN, type ConformanceAlertPayload, type ConformanceCheckPayload, type ConformanceScanPayload,
} from './definitions';
export { redisConnection } from './redis';
export { within } from './within';
export { QueueInspector, QueueNotFoundError, QueueUnavailableError, type FailedJob, type QueueCounts, type QueuedJob } from './queue-inspector';
