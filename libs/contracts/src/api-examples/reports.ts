// Examples of the reports and of a community's hierarchy.
import type { ActivityReportView, CommunityHierarchyView, CrlReportView, ExpiryReportView } from '../wire';
import { issuingCaExample, rootCaExample } from './communities';
import { base, ids } from './shared';

export const activityReportExample: ActivityReportView = {
  days: 3, from: '2026-03-01', to: '2026-03-03', totals: { issued: 7, revoked: 1 },
  series: [{ day: '2026-03-01', issued: 4, revoked: 0 }, { day: '2026-03-02', issued: 0, revoked: 1 }, { day: '2026-03-03', issued: 3, revoked: 0 }],
};

export const crlReportExample: CrlReportView = {
  days: 30,
  cas: [{
    caId: ids.issuingCa, caSubject: issuingCaExample.subject, caRole: 'issuing', communityId: ids.community, caStatus: 'active',
    crls: [
      { crlNumber: '41', thisUpdate: '2026-02-24T08:00:00.000Z', nextUpdate: '2026-03-03T08:00:00.000Z', entryCount: 2, bytes: 612, lifetimeSeconds: 604800, secondsLeftAtReplacement: 86400 },
      { crlNumber: '42', thisUpdate: '2026-03-02T08:00:00.000Z', nextUpdate: '2026-03-09T08:00:00.000Z', entryCount: 3, bytes: 655, lifetimeSeconds: 604800, secondsLeftAtReplacement: null },
    ],
  }],
};

export const expiryReportExample: ExpiryReportView = {
  weeks: 2, total: 3,
  series: [
    { week: 0, from: '2026-03-02T08:00:00.000Z', to: '2026-03-09T08:00:00.000Z', count: 1 },
    { week: 1, from: '2026-03-09T08:00:00.000Z', to: '2026-03-16T08:00:00.000Z', count: 2 },
  ],
};

export const communityHierarchyExample: CommunityHierarchyView = {
  communityId: ids.community,
  cas: [
    { id: ids.rootCa, role: 'root', parentId: null, subject: rootCaExample.subject, status: 'active', keyType: 'EC-P256', external: false, sha256: rootCaExample.sha256, notAfter: rootCaExample.notAfter, leaves: { active: 0, revoked: 0, expired: 0 } },
    { id: ids.issuingCa, role: 'issuing', parentId: ids.rootCa, subject: issuingCaExample.subject, status: 'active', keyType: 'EC-P256', external: false, sha256: issuingCaExample.sha256, notAfter: issuingCaExample.notAfter, leaves: { active: 12, revoked: 2, expired: 1 } },
  ],
  trustBundleUrl: `${base}/pki/communities/${ids.community}/trust-bundle.pem`,
};
