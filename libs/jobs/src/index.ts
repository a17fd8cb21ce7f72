export { CRL_REFRESH, schedules, type CrlRefreshPayload, type JobDefinition, type Schedule } from './definitions';
