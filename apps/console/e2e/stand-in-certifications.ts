// The stand-in API's certification routes: the list (filters organizationId, sub, status; a member admin
// sees those its organization is a party to) and revocation (operators; member admins of the certifier
// organization), answering like the API (docs/certifications.md).
import type { CertificationView, UserView } from '@anchorage/contracts';
import * as fx from './fixtures';
import { list, problem, type Reply } from './stand-in-http';

/** Fixed ids of the certifications. */
export const certificationIds = {
  sunriseByHarbor: 'cccccccc-0000-4000-8000-000000000001',
  harborBySunrise: 'cccccccc-0000-4000-8000-000000000002',
  sunriseRevoked: 'cccccccc-0000-4000-8000-000000000003',
  harborByHarbor: 'cccccccc-0000-4000-8000-000000000004',
};
/** The client URIs of the certified apps. */
export const APPS = {
  sunrise: 'https://apps.sunrise.example/b2b-client',
  sunriseOld: 'https://apps.sunrise.example/legacy-client',
  harbor: 'https://apps.harbor.example/lab-client',
  harborPortal: 'https://apps.harbor.example/portal',
};
/** Why the revoked fixture was revoked. */
export const REVOKED_REASON = 'The app no longer meets the criteria';

const STATUS_URL = `http://127.0.0.1/pki/communities/${fx.ids.community}/certifications/status`;
const certification = (id: string, sub: string, organizationId: string, certifierOrganizationId: string, extra: Partial<CertificationView> = {}): CertificationView => ({
  id, communityId: fx.ids.community, templateId: 'dddddddd-0000-4000-8000-000000000001', jti: `jti-${id.slice(-4)}`,
  iss: certifierOrganizationId === fx.ids.org ? 'https://certify.sunrise.example/udap' : 'https://certify.harbor.example/udap', sub, organizationId,
  certifierCertificateId: fx.ids.otherOrgCert, certifierSerial: '4f2a9c1e7b3d5a8c0e6f1b2d4a9c7e3f', certifierOrganizationId,
  iat: '2026-02-01T10:00:00.000Z', exp: '2028-02-01T10:00:00.000Z', jwt: 'e30.e30.c2ln', status: 'active', revokedAt: null, revocationReason: null, revokedBy: null,
  statusEndpoint: STATUS_URL, createdBy: 'token:ops:55555555-5555-4555-8555-555555555551', createdAt: '2026-02-01T10:05:00.000Z', ...extra,
});

/** Sunrise Clinic's app certified by Harbor Labs (active, and once revoked), Harbor's apps certified by Sunrise and by Harbor itself. */
export const certifications: CertificationView[] = [
  certification(certificationIds.sunriseByHarbor, APPS.sunrise, fx.ids.org, fx.ids.otherOrg, { createdAt: '2026-02-04T10:05:00.000Z' }),
  certification(certificationIds.harborBySunrise, APPS.harbor, fx.ids.otherOrg, fx.ids.org, { createdAt: '2026-02-03T10:05:00.000Z' }),
  certification(certificationIds.sunriseRevoked, APPS.sunriseOld, fx.ids.org, fx.ids.otherOrg, {
    createdAt: '2026-01-02T10:05:00.000Z', status: 'revoked', revokedAt: '2026-01-20T09:00:00.000Z', revocationReason: REVOKED_REASON, revokedBy: 'token:ops:55555555-5555-4555-8555-555555555551',
  }),
  certification(certificationIds.harborByHarbor, APPS.harborPortal, fx.ids.otherOrg, fx.ids.otherOrg, { createdAt: '2026-01-01T10:05:00.000Z' }),
];

/** What the stand-in API asks of the certification side. */
export interface Certifications {
  /** Answers a certification route, or null when `p` is not one. */
  route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null;
}

/** The certification side's state, fresh for one stand-in. */
export function startCertifications(): Certifications {
  const all = certifications.map((c) => ({ ...c }));
  const visible = (user: UserView) => all.filter((c) => user.role !== 'member-admin' || c.organizationId === user.organizationId || c.certifierOrganizationId === user.organizationId);

  function revoke(id: string, body: Record<string, unknown> | undefined, user: UserView): Reply {
    const c = visible(user).find((x) => x.id === id);
    if (!c) return problem(404, 'Not Found', `certification ${id} not found`, 'not-found');
    if (user.role === 'member-admin' && c.certifierOrganizationId !== user.organizationId) {
      return problem(403, 'Forbidden', 'only the certifier organization (or an operator) revokes a certification', 'forbidden');
    }
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    if (!reason) return problem(400, 'Bad Request', 'reason is required (1 to 1000 characters)', 'validation');
    if (c.status === 'revoked') return problem(409, 'Conflict', `certification ${id} was revoked at ${c.revokedAt}`, 'already-revoked');
    Object.assign(c, { status: 'revoked', revokedAt: new Date().toISOString(), revocationReason: reason, revokedBy: user.id });
    return { status: 200, body: c };
  }

  function route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    const [res, id, verb] = p;
    if (res !== 'certifications') return null;
    if (method === 'GET' && !id) {
      const sorted = [...visible(user)].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      return list('certifications', sorted, query, (c, f) =>
        (!f.organizationId || c.organizationId === f.organizationId) && (!f.sub || c.sub === f.sub) && (!f.status || c.status === f.status));
    }
    if (method === 'POST' && id && verb === 'revoke' && !p[3]) return revoke(id, body, user);
    return null;
  }

  return { route };
}
