// The stand-in API's certification routes: the list (filters organizationId, sub, status; a member admin
// sees those its organization is a party to) and revocation (operators; member admins of the certifier
// organization), answering like the API (docs/certifications.md).
import { randomUUID } from 'node:crypto';
import {
  BUILT_IN_CERTIFICATION_TEMPLATES, CERTIFICATION_GRANT_TYPES, type CertificationTemplateView, type CertificationView, type PlatformCertifierView, type UserView,
} from '@anchorage/contracts';
import * as fx from './fixtures';
import { forbidden, list, problem, type Reply } from './stand-in-http';

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

/** Harbor Labs' platform certifier (its key in the signer). */
export const platformCertifier: PlatformCertifierView = {
  id: 'eeeeeeee-0000-4000-8000-000000000001', communityId: fx.ids.community, organizationId: fx.ids.otherOrg, certificateId: fx.ids.otherOrgCert,
  sanUri: 'https://certify.harbor.example/udap', notAfter: '2028-06-01T00:00:00.000Z', createdBy: 'token:ops', createdAt: '2026-01-10T10:00:00.000Z',
};
/** The API's words for a few refusals the console shows. */
export const CERTIFICATION_WORDS = {
  duplicateTemplate: (name: string) => `a certification template named "${name}" exists in the community already`,
  absoluteUri: (v: string) => `must be an absolute URI (got "${v}")`,
  notClientUri: (sub: string) => `sub ${sub} is not a SAN URI of a live udap-client certificate of the organization`,
  compactJws: 'must be a compact JWS (header.payload.signature, base64url)',
  wrongName: (want: string) => `the certification does not follow its template: certification_name must be "${want}"`,
};

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

  const templates: CertificationTemplateView[] = [];
  const refused = (status: number, field: string, message: string, code = 'validation') => {
    const r = problem(status, status === 400 ? 'Bad Request' : 'Unprocessable Content', `${field.replace(/^body\./, '')} ${message}`, code);
    return { ...r, body: { ...(r.body as object), errors: [{ field, message }] } };
  };
  const at = () => new Date().toISOString();

  /** POST /communities/:id/certification-templates, checked like define-certification-template.ts (a few of its rules). */
  function defineTemplate(communityId: string, body: Record<string, unknown> | undefined, user: UserView): Reply {
    if (user.role !== 'operator') return forbidden(user.role);
    if (communityId !== fx.ids.community) return problem(404, 'Not Found', `community ${communityId} not found`, 'not-found');
    const builtIn = body?.builtIn === undefined ? undefined : BUILT_IN_CERTIFICATION_TEMPLATES[body.builtIn as 'tefca-basic-app'];
    if (body?.builtIn !== undefined && !builtIn) return refused(400, 'builtIn', `must be one of tefca-basic-app (got "${String(body.builtIn)}")`);
    const spec = builtIn ?? (body as Record<string, never>);
    if (!builtIn) {
      if (typeof spec.name !== 'string' || !spec.name) return refused(400, 'body.name', 'give builtIn (e.g. "tefca-basic-app"), or name, uris and grantTypes');
      const uris = (spec.uris ?? []) as string[];
      if (uris.length === 0) return refused(400, 'uris', 'must list 1 to 20 certification_uris');
      const bad = uris.findIndex((u) => !URL.canParse(u));
      if (bad >= 0) return refused(400, `uris[${bad}]`, CERTIFICATION_WORDS.absoluteUri(uris[bad]));
      const grants = (spec.grantTypes ?? []) as string[];
      if (grants.length === 0 || grants.some((g) => !(CERTIFICATION_GRANT_TYPES as readonly string[]).includes(g))) {
        return refused(400, 'grantTypes', `must name at least one of ${CERTIFICATION_GRANT_TYPES.join(', ')}`);
      }
      if (grants.includes('authorization_code') && !((spec.responseTypes ?? []) as string[]).includes('code')) {
        return refused(400, 'responseTypes', 'must include code when grantTypes includes authorization_code');
      }
    }
    if (templates.some((t) => t.name === spec.name)) return problem(409, 'Conflict', CERTIFICATION_WORDS.duplicateTemplate(spec.name), 'conflict');
    const t: CertificationTemplateView = {
      id: randomUUID(), communityId, name: spec.name, uris: spec.uris, logoUri: spec.logoUri ?? null, description: spec.description ?? null, grantTypes: spec.grantTypes,
      scopes: spec.scopes ?? [], responseTypes: spec.responseTypes ?? [], exchangePurposes: spec.exchangePurposes ?? [], isEndorsement: spec.isEndorsement ?? false,
      statusEndpoint: STATUS_URL, createdBy: user.id, createdAt: at(),
    };
    templates.push(t);
    return { status: 201, body: t };
  }

  const newCertification = (templateId: string, organizationId: string, sub: string, iss: string, certifierOrganizationId: string, jwt: string, user: UserView): CertificationView => {
    const c = certification(randomUUID(), sub, organizationId, certifierOrganizationId, {
      templateId, iss, jwt, jti: randomUUID(), iat: at(), exp: new Date(Date.now() + 365 * 86_400_000).toISOString(), createdBy: user.id, createdAt: at(),
    });
    all.push(c);
    return c;
  };

  /** POST /certifications/issue: the template, the certifier and the app's client URI checked. */
  function issue(body: Record<string, unknown> | undefined, user: UserView): Reply {
    if (user.role !== 'operator') return forbidden(user.role);
    const template = templates.find((t) => t.id === body?.templateId);
    if (!template) return problem(404, 'Not Found', `certification template ${String(body?.templateId)} not found`, 'not-found');
    if (body?.certifierId !== platformCertifier.id) return problem(404, 'Not Found', `platform certifier ${String(body?.certifierId)} not found`, 'not-found');
    const org = fx.organizations.find((o) => o.id === body.organizationId);
    if (!org) return problem(404, 'Not Found', `organization ${String(body.organizationId)} not found`, 'not-found');
    const sub = String(body.sub);
    // in this stand-in Harbor Labs has no live udap-client certificate: its apps cannot be certified
    if (!org.sanUris.includes(sub) || org.id === fx.ids.otherOrg) return refused(422, 'sub', CERTIFICATION_WORDS.notClientUri(sub), 'certification-invalid');
    const outside = ((body.grantTypes ?? []) as string[]).filter((g) => !template.grantTypes.includes(g));
    if (outside.length) return refused(422, 'grantTypes', `may hold only ${template.grantTypes.join(', ')} (got "${outside[0]}")`, 'certification-invalid');
    return { status: 201, body: newCertification(template.id, org.id, sub, platformCertifier.sanUri, platformCertifier.organizationId, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', user) };
  }

  /** POST /certifications: the JWS's shape (as the API's request check words it), then its certification_name against the template. */
  function record(body: Record<string, unknown> | undefined, user: UserView): Reply {
    if (user.role === 'auditor') return forbidden(user.role);
    const jwt = typeof body?.jwt === 'string' ? body.jwt : '';
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwt)) {
      const r = problem(400, 'Bad Request', 'the request body does not have the expected shape', 'validation');
      return { ...r, body: { ...(r.body as object), errors: [{ field: 'body.jwt', message: CERTIFICATION_WORDS.compactJws }] } };
    }
    const template = templates.find((t) => t.id === body?.templateId);
    if (!template) return problem(404, 'Not Found', `certification template ${String(body?.templateId)} not found`, 'not-found');
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iss: string; sub: string; certification_name: string };
    if (claims.certification_name !== template.name) return problem(422, 'Unprocessable Content', CERTIFICATION_WORDS.wrongName(template.name), 'certification-invalid');
    return { status: 201, body: newCertification(template.id, String(body?.organizationId), claims.sub, claims.iss, fx.ids.org, jwt, user) };
  }

  function route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    const [res, id, verb] = p;
    if (res === 'communities' && id && verb === 'certification-templates' && !p[3]) {
      if (method === 'POST') return defineTemplate(id, body, user);
      if (method === 'GET') return list('certification-templates', templates.filter((t) => t.communityId === id), query, () => true);
    }
    if (res === 'communities' && id && verb === 'certifiers' && !p[3] && method === 'GET') {
      return list('certifiers', id === fx.ids.community ? [platformCertifier] : [], query, () => true);
    }
    if (res !== 'certifications') return null;
    if (method === 'POST' && id === 'issue' && !verb) return issue(body, user);
    if (method === 'POST' && !id) return record(body, user);
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
