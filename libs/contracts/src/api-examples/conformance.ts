// Examples of a monitored endpoint, a check and an alert.
import type { ConformanceAlertView, ConformanceCheckView, ConformanceEndpointView } from '../wire';
import { ids, san } from './shared';

export const conformanceEndpointExample: ConformanceEndpointView = {
  id: ids.endpoint,
  communityId: ids.community,
  organizationId: ids.organization,
  baseUrl: san,
  metadataUrl: `${san}/.well-known/udap?community=udap%3A%2F%2Ffhir.example.org%2F`,
  status: 'failing',
  statusSince: '2026-12-04T10:00:01.000Z',
  lastCheckedAt: '2026-12-04T10:00:01.000Z',
  lastPassingAt: '2026-12-04T09:00:00.000Z',
  consecutiveFailures: 1,
  nextDueAt: '2026-12-04T11:00:00.000Z',
  certificatesGoneAt: '2026-12-04T09:41:12.000Z',
  retiredAt: null,
  errorCodes: ['revoked'],
  warningCodes: [],
};

export const conformanceCheckExample: ConformanceCheckView = {
  id: ids.check,
  endpointId: ids.endpoint,
  checkedAt: '2026-12-04T10:00:01.000Z',
  status: 'failing',
  trigger: 'schedule',
  requestedBy: 'worker',
  findings: [{
    code: 'revoked', severity: 'error', section: 'udap.org Server Metadata §3.2; RFC 5280 §6.3', depth: 0,
    message: 'the leaf certificate "CN=fhir.riverside-health.example.org" (serial 5f3a9c) was revoked at 2026-12-04T09:41:12.000Z (keyCompromise)',
  }],
  signerSerial: '5f3a9c0d1e2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d',
  signerCertificateId: ids.certificate,
  durationMs: 48,
  httpStatus: 200,
};

export const conformanceAlertExample: ConformanceAlertView = {
  id: ids.alert,
  endpointId: ids.endpoint,
  checkId: ids.check,
  organizationId: ids.organization,
  communityId: ids.community,
  baseUrl: san,
  codes: ['revoked'],
  lastPassingAt: '2026-12-04T09:00:00.000Z',
  createdAt: '2026-12-04T10:00:01.000Z',
  emailTo: ['dana.ortiz@riverside-health.example.org', 'ops@example.org'],
  emailSentAt: '2026-12-04T10:00:03.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
  webhookDeliveredAt: '2026-12-04T10:00:03.000Z',
  webhookAttempts: 1,
  lastError: null,
};
