// The API's views of conformance endpoints, checks and alerts.
import type { ConformanceAlertView, ConformanceCheckView, ConformanceEndpointView } from '@anchorage/contracts';
import type { ConformanceAlertRecord, ConformanceCheckRecord, ConformanceEndpointRecord } from '@anchorage/db';
import { udapMetadataUrl } from './metadata-url';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** An endpoint's view; `communityUri` makes its metadata URL, `last` (its newest check) its codes. */
export function conformanceEndpointView(e: ConformanceEndpointRecord, communityUri: string, last: ConformanceCheckRecord | null): ConformanceEndpointView {
  const codes = (severity: 'error' | 'warning') => [...new Set((last?.findings ?? []).filter((f) => f.severity === severity).map((f) => f.code))];
  return {
    id: e.id, communityId: e.communityId, organizationId: e.organizationId, baseUrl: e.baseUrl, metadataUrl: udapMetadataUrl(e.baseUrl, communityUri),
    status: e.status, statusSince: iso(e.statusSince), lastCheckedAt: iso(e.lastCheckedAt), lastPassingAt: iso(e.lastPassingAt),
    consecutiveFailures: e.consecutiveFailures, nextDueAt: e.nextDueAt.toISOString(), certificatesGoneAt: iso(e.certificatesGoneAt), retiredAt: iso(e.retiredAt),
    errorCodes: codes('error'), warningCodes: codes('warning'),
  };
}

/** A check's view. */
export function conformanceCheckView(c: ConformanceCheckRecord): ConformanceCheckView {
  return {
    id: c.id, endpointId: c.endpointId, checkedAt: c.checkedAt.toISOString(), status: c.status, trigger: c.trigger, requestedBy: c.requestedBy,
    findings: c.findings.map((f) => ({
      code: f.code, severity: f.severity, section: f.section, message: f.message, ...(f.claim !== undefined ? { claim: f.claim } : {}), ...(f.depth !== undefined ? { depth: f.depth } : {}),
    })),
    signerSerial: c.signerSerial, signerCertificateId: c.signerCertificateId, durationMs: c.durationMs, httpStatus: c.httpStatus,
  };
}

/** An alert's view. */
export function conformanceAlertView(a: ConformanceAlertRecord): ConformanceAlertView {
  return {
    id: a.id, endpointId: a.endpointId, checkId: a.checkId, organizationId: a.organizationId, communityId: a.communityId, baseUrl: a.baseUrl, codes: a.codes,
    lastPassingAt: iso(a.lastPassingAt), createdAt: a.createdAt.toISOString(), emailTo: a.emailTo, emailSentAt: iso(a.emailSentAt), webhookUrl: a.webhookUrl,
    webhookDeliveredAt: iso(a.webhookDeliveredAt), webhookAttempts: a.webhookAttempts, lastError: a.lastError,
  };
}
