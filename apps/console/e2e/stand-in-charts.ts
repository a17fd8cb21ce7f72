// The stand-in API's chart and hierarchy routes (operators and auditors): a community's CA hierarchy from
// the fixture CAs, and small fixed reports for the dashboard's charts. The real API's figures are tested
// against PostgreSQL (apps/api community-charts.integration-spec.ts) and in communities.e2e-spec.ts.
import type { ActivityReportView, CaView, CommunityHierarchyView, CrlReportView, ExpiryReportView, UserView } from '@anchorage/contracts';
import { forbidden, problem, type Reply } from './stand-in-http';

const DAY = 86_400_000;

/** Answers a chart or hierarchy route, or null when `p` is not one. */
export function chartRoute(method: string, p: string[], query: URLSearchParams, user: UserView, cas: CaView[]): Reply | null {
  const [res, id, verb] = p;
  const hierarchy = res === 'communities' && verb === 'hierarchy';
  if (method !== 'GET' || !(hierarchy || res === 'reports')) return null;
  if (user.role === 'member-admin') return forbidden(user.role);
  if (hierarchy) {
    const mine = cas.filter((c) => c.communityId === id);
    if (mine.length === 0) return problem(404, 'Not Found', `community ${id} not found`, 'not-found');
    const body: CommunityHierarchyView = {
      communityId: id,
      cas: mine.map((c) => ({
        id: c.id, role: c.role, parentId: c.role === 'root' ? null : mine.find((r) => r.role === 'root')?.id ?? null, subject: c.subject, status: c.status, keyType: c.keyType,
        external: false, sha256: c.sha256, notAfter: c.notAfter, leaves: c.role === 'root' ? { active: 0, revoked: 0, expired: 0 } : { active: 3, revoked: 1, expired: 0 },
      })),
      trustBundleUrl: `https://pki.example.org/pki/communities/${id}/trust-bundle.pem`,
    };
    return { status: 200, body };
  }
  const now = Date.now(); // the charts place CRLs against the browser's clock
  if (id === 'activity') {
    const days = Number(query.get('days') ?? 30);
    const series = Array.from({ length: days }, (_, i) => ({ day: new Date(now - (days - 1 - i) * DAY).toISOString().slice(0, 10), issued: i % 7 === 0 ? 2 : 0, revoked: i === days - 1 ? 1 : 0 }));
    const body: ActivityReportView = {
      days, from: series[0].day, to: series[days - 1].day, series,
      totals: { issued: series.reduce((n, d) => n + d.issued, 0), revoked: series.reduce((n, d) => n + d.revoked, 0) },
    };
    return { status: 200, body };
  }
  if (id === 'crls') {
    const body: CrlReportView = {
      days: Number(query.get('days') ?? 30),
      cas: cas.filter((c) => c.status !== 'awaiting-certificate').map((c) => ({
        caId: c.id, caSubject: c.subject, caRole: c.role, communityId: c.communityId, caStatus: c.status,
        crls: [0, 1, 2].map((n) => ({
          crlNumber: String(n + 1), thisUpdate: new Date(now - (3 - n) * 2 * DAY).toISOString(), nextUpdate: new Date(now - (3 - n) * 2 * DAY + 7 * DAY).toISOString(),
          entryCount: n, bytes: 500 + 40 * n, lifetimeSeconds: 604_800, secondsLeftAtReplacement: n === 2 ? null : 604_800 - 2 * 86_400,
        })),
      })),
    };
    return { status: 200, body };
  }
  if (id === 'expiring') {
    const weeks = Number(query.get('weeks') ?? 12);
    const series = Array.from({ length: weeks }, (_, w) => ({
      week: w, from: new Date(now + w * 7 * DAY).toISOString(), to: new Date(now + (w + 1) * 7 * DAY).toISOString(), count: w === 1 ? 2 : w === 5 ? 1 : 0,
    }));
    const body: ExpiryReportView = { weeks, total: 3, series };
    return { status: 200, body };
  }
  return problem(404, 'Not Found', `no route ${p.join('/')}`, 'not-found');
}
