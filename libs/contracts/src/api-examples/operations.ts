// Examples of operations: a bulk revocation, the queues, a failed job, an expiry notice, the dashboard, impact previews.
import type { BulkRevocationView, CaImpactView, DashboardView, ExpiryNoticeView, FailedJobView, OrganizationImpactView, QueuesView } from '../wire';
import { certificateExample } from './certificates';
import { issuingCaExample, rootCaExample } from './communities';
import { ids, operatorActor, san } from './shared';

export const bulkRevocationExample: BulkRevocationView = {
  id: ids.bulk,
  communityId: ids.community,
  organizationId: ids.organization,
  caId: null,
  reason: 'privilegeWithdrawn',
  cause: 'organization-suspended',
  status: 'completed',
  total: 12,
  revoked: 12,
  batches: 1,
  crlNumbers: { [ids.issuingCa]: '43' },
  requestedBy: operatorActor,
  createdAt: '2026-03-05T11:00:00.000Z',
  startedAt: '2026-03-05T11:00:01.000Z',
  finishedAt: '2026-03-05T11:00:03.000Z',
  lastError: null,
};

export const queuesExample: QueuesView = {
  queues: [
    { name: 'anchorage-revocation', counts: { waiting: 0, active: 1, delayed: 0, failed: 0, completed: 57, paused: 0 } },
    { name: 'anchorage-notices', counts: { waiting: 2, active: 0, delayed: 1, failed: 1, completed: 310, paused: 0 } },
  ],
  outbox: { unrelayed: 0, oldestUnrelayedSeconds: 0, relayedIncomplete: 1 },
};

export const failedJobExample: FailedJobView = {
  id: `expiry-notice.${ids.notice}`,
  queue: 'anchorage-notices',
  name: 'expiry-notice',
  failedReason: 'webhook https://ops.riverside-health.example.org/hooks/anchorage failed (timeout); retried with backoff',
  attemptsMade: 5,
  attempts: 5,
  data: { noticeId: ids.notice },
  createdAt: '2026-03-01T06:00:00.000Z',
  failedAt: '2026-03-01T07:31:12.000Z',
};

export const expiryNoticeExample: ExpiryNoticeView = {
  id: ids.notice,
  subjectType: 'certificate',
  certificateId: ids.certificate,
  caId: null,
  organizationId: ids.organization,
  communityId: ids.community,
  thresholdDays: 30,
  notAfter: '2027-02-01T12:00:00.000Z',
  createdAt: '2027-01-02T12:00:00.000Z',
  emailTo: ['dana.ortiz@riverside-health.example.org'],
  emailSentAt: '2027-01-02T12:00:04.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
  webhookDeliveredAt: '2027-01-02T12:00:05.000Z',
  webhookAttempts: 1,
  lastError: null,
};

export const dashboardExample: DashboardView = {
  pendingRequests: 3,
  organizationsAwaitingReview: 1,
  crls: [{
    caId: ids.issuingCa, caSubject: issuingCaExample.subject, caRole: 'issuing', communityId: ids.community, caStatus: 'active', external: false,
    crlNumber: '42', nextUpdate: '2026-03-03T08:00:00.000Z', secondsUntilNextUpdate: 51840, entryCount: 3,
  }],
  expiringSoon: {
    withinDays: 30, total: 1,
    certificates: [{ id: ids.certificate, serial: certificateExample.serial, organizationId: ids.organization, sanUris: [san], notAfter: '2026-03-20T12:00:00.000Z' }],
  },
};

export const organizationImpactExample: OrganizationImpactView = {
  organizationId: ids.organization,
  name: 'Riverside Community Hospital',
  status: 'submitted',
  at: '2026-01-21T10:14:30.000Z',
  certificates: { live: 0, onHold: 0, toRevoke: 0 },
  profileRevision: 2,
  sanUris: [
    { uri: san, alreadyBound: false, check: 'verified', lastError: null, checkedAt: '2026-01-20T15:00:02.000Z' },
    { uri: 'https://fhir.riverside-health.example.org/r5', alreadyBound: false, check: 'failed', lastError: 'bad-token', checkedAt: '2026-01-20T15:01:10.000Z' },
  ],
};

export const caImpactExample: CaImpactView = {
  caId: ids.issuingCa,
  subject: issuingCaExample.subject,
  role: 'issuing',
  status: 'active',
  at: '2026-03-02T08:00:00.000Z',
  certificates: { live: 41, onHold: 1, toRevoke: 44 },
  parent: { id: ids.rootCa, subject: rootCaExample.subject, offline: false },
  revokedOnParentCrl: true,
};
