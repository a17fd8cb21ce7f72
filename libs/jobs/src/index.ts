export {
  BULK_REVOKE, CRL_QUEUE, CRL_REFRESH, JOBS, QUEUES, REVOCATION_QUEUE, outboxEntry, schedules,
  type BulkRevokePayload, type CrlRefreshPayload, type JobDefinition, type OutboxEntry, type Schedule,
} from './definitions';
export { redisConnection } from './redis';
export { QueueInspector, QueueNotFoundError, QueueUnavailableError, type FailedJob, type QueueCounts } from './queue-inspector';
