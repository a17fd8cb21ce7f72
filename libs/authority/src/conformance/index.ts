export { udapMetadataUrl } from './metadata-url';
export { checkRequiredMetadata } from './metadata-rules';
export {
  checkConformanceEndpoint, inspectEndpoint, recordEndpointCheck, SIGNER_EXPIRY_WARNING_DAYS, type EndpointCheckOutcome, type EndpointInspection,
} from './check-endpoint';
export { syncConformanceEndpoints, DEFAULT_GRACE_DAYS } from './sync-endpoints';
export { scanConformance, DEFAULT_RETENTION_DAYS, type ConformanceScanOptions, type ConformanceScanOutcome } from './scan-conformance';
export { deliverConformanceAlert, CONFORMANCE_FAILING_EVENT, type AlertDelivery } from './deliver-alert';
export { conformanceAlertView, conformanceCheckView, conformanceEndpointView } from './views';
export { WORKER_SYSTEM_ACTOR } from './actor';
