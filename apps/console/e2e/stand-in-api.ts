// A tiny stand-in for the API process: serves the built console at / and answers the admin routes
// the console calls with fixed fixtures, in the API's dialect (Content-Range lists, problem+json errors),
// including sign-in (access tokens, a rotating httpOnly refresh cookie) and the roles' rules.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import {
  requiresTwoFactor, SUBSCRIBER_REASONS, userActorId, type CertificateRequestView, type CreatedUserView, type EndpointCheckView, type InvitationView, type OrganizationImpactView, type OrganizationProfile, type OrganizationView,
  type RevocationReasonName, type SessionView, type UserView,
} from '@anchorage/contracts';
import * as fx from './fixtures';
import { ids } from './fixtures';
import { forbidden, list, one, problem, type Reply } from './stand-in-http';
import { chartRoute } from './stand-in-charts';
import { startCertifications } from './stand-in-certifications';
import { startNotices } from './stand-in-notices';
import { affectedCertificates, startWorkers } from './stand-in-workers';

/** The only operator API token the stand-in accepts. */
export const TEST_TOKEN = 'anc_test';
/** Every fixture user's password. */
export const PASSWORD = 'correct horse battery staple';
/** The authenticator code of users with TOTP on. */
export const TOTP_CODE = '123456';
/** The recovery codes the stand-in hands out when TOTP is turned on (or an operator or auditor is created), and when they are made anew. */
export const STAND_IN_RECOVERY_CODES = Array.from({ length: 10 }, (_, i) => `abcd-efgh-ijkl-mn${'234567ab'[i % 8]}${'cdefghijkm'[i]}`);
export const STAND_IN_RECOVERY_CODES_2 = STAND_IN_RECOVERY_CODES.map((c) => `zz${c.slice(2)}`);
/** The secret the stand-in hands out for enrollment, and the one code that confirms it. */
export const ENROLL_SECRET = 'JBSWY3DPEHPK3PXP';
export const ENROLL_CODE = '654321';
/** Signing in with this address answers 429 with Retry-After. */
export const THROTTLED_EMAIL = 'throttled@example.org';
/** The refresh cookie's name, as the API sets it. */
export const REFRESH_COOKIE = 'anchorage_refresh';
/** The API's one sentence for every refused sign-in. */
export const SIGN_IN_REFUSED = 'the e-mail address, password or code is not correct, or sign-in is paused after repeated failures; try again later';

/** Invitation e-mails to this address bounce: the API answers 502 mail-failed and stores nothing. */
export const BOUNCING_EMAIL = 'bounce@nowhere.example';

/** One admin request the stand-in received (for assertions on what the console sent). */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The Authorization header, if any. */
  authorization?: string;
  /** Whether the refresh cookie came along. */
  cookie: boolean;
  /** The status the stand-in answered. */
  status: number;
}

/** A running stand-in. */
export interface StandIn {
  url: string;
  calls: RecordedCall[];
  /** Makes every access token issued so far expire (the next call with one gets 401). */
  expireAccessTokens(): void;
  /** Ends every session: access tokens and refresh cookies stop working. */
  endAllSessions(): void;
  /** Makes GET /audit/verify report a broken chain (or an intact one again). */
  breakAuditChain(broken: boolean): void;
  /** Makes the queue routes answer 503 queue-unavailable, as while Redis is down (or answer again). */
  setQueuesAvailable(available: boolean): void;
  /** Makes the fixture root offline: ending its issuing CA then answers with a notice. */
  setRootOffline(offline: boolean): void;
  /** Every webhook secret handed out, oldest first. */
  webhookSecrets: string[];
  /** Every revocation subscription secret handed out, oldest first. */
  subscriptionSecrets: string[];
  close(): Promise<void>;
}

type Actor = { user: UserView; familyId?: string; apiToken: boolean };
interface Family { userId: string; refresh: string; ended: boolean }

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

const withErrors = (reply: Reply, errors: { field: string; message: string }[]): Reply => ({ ...reply, body: { ...(reply.body as object), errors } });

const API_TOKEN_USER: UserView = {
  id: 'api-token', email: '', displayName: 'Operator API token', role: 'operator', organizationId: null, communities: 'all',
  totpEnabled: false, lockedUntil: null, disabled: false, createdAt: new Date(0).toISOString(),
};

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === REFRESH_COOKIE) return v;
  }
  return undefined;
}
const setCookie = (value: string) => `${REFRESH_COOKIE}=${value}; Path=/api/v1/auth; HttpOnly; SameSite=Strict`;
const clearCookie = `${REFRESH_COOKIE}=; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;

/** Starts the stand-in on 127.0.0.1 with an ephemeral port, serving the console build in `dist`. */
export async function startStandIn(dist: string): Promise<StandIn> {
  const calls: RecordedCall[] = [];
  const users: UserView[] = fx.users.map((u) => ({ ...u }));
  /** Unused recovery codes per user id (the stand-in keeps only the count). */
  const recoveryLeft = new Map<string, number>();
  const organizations: OrganizationView[] = fx.organizations.map((o) => ({ ...o }));
  const invitations: InvitationView[] = fx.invitations.map((i) => ({ ...i }));
  const requests: CertificateRequestView[] = fx.certificateRequests.map((r) => ({ ...r }));
  const checks: EndpointCheckView[] = [];
  const workers = startWorkers();
  const notices = startNotices(organizations);
  const certificationSide = startCertifications();
  let invitationUsed = false;
  let auditBroken = false;
  const families = new Map<string, Family>();
  const accessTokens = new Map<string, { familyId: string; expired: boolean }>();
  let counter = 0;

  const issue = (familyId: string, user: UserView): Reply => {
    const accessToken = `at-${user.role}-${++counter}`;
    const refresh = `rt-${counter}`;
    accessTokens.set(accessToken, { familyId, expired: false });
    families.set(familyId, { userId: user.id, refresh, ended: false });
    const view: SessionView = { accessToken, tokenType: 'Bearer', expiresIn: 600, user };
    return { status: 200, body: view, headers: { 'Set-Cookie': setCookie(refresh), 'Cache-Control': 'no-store' } };
  };

  const authenticate = (authorization: string | undefined): Actor | null => {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!m) return null;
    if (m[1] === TEST_TOKEN) return { user: API_TOKEN_USER, apiToken: true };
    const at = accessTokens.get(m[1]);
    const family = at && families.get(at.familyId);
    if (!at || at.expired || !family || family.ended) return null;
    return { user: users.find((u) => u.id === family.userId)!, familyId: at.familyId, apiToken: false };
  };

  function authRoute(method: string, verb: string, body: Record<string, unknown> | undefined, req: IncomingMessage): Reply | null {
    if (method !== 'POST') return null;
    if (verb === 'login') {
      if (body?.email === THROTTLED_EMAIL) {
        return problem(429, 'Too Many Requests', 'too many sign-in attempts from this address; try again in 42 s', 'too-many-requests', { 'Retry-After': '42' });
      }
      const user = users.find((u) => u.email === body?.email);
      const codeOk = !(user?.totpEnabled || (user && requiresTwoFactor(user.role))) || body?.code === TOTP_CODE;
      const locked = user?.lockedUntil && Date.parse(user.lockedUntil) > Date.now();
      if (!user || body?.password !== PASSWORD || !codeOk || locked) return problem(401, 'Unauthorized', SIGN_IN_REFUSED, 'unauthorized');
      return issue(`fam-${++counter}`, user);
    }
    if (verb === 'refresh') {
      const value = cookieOf(req);
      const hit = [...families.entries()].find(([, f]) => f.refresh === value && !f.ended);
      if (!hit) return { ...problem(401, 'Unauthorized', 'sign in again', 'unauthorized'), headers: { 'Set-Cookie': clearCookie } };
      return issue(hit[0], users.find((u) => u.id === hit[1].userId)!);
    }
    if (verb === 'logout') {
      const value = cookieOf(req);
      for (const f of families.values()) if (f.refresh === value) f.ended = true;
      return { status: 204, headers: { 'Set-Cookie': clearCookie } };
    }
    return null;
  }

  /** The public invitation routes (no sign-in): look a token up, accept it. */
  function publicRoute(method: string, verb: string, body: Record<string, unknown> | undefined): Reply | null {
    if (method !== 'POST' || (verb !== 'lookup' && verb !== 'accept')) return null;
    const dead = (why: string) => problem(410, 'Gone', `this invitation link ${why}; ask the network operator for a new one`, 'invitation-invalid');
    if (body?.token === fx.USED_INVITATION_TOKEN || (body?.token === fx.INVITATION_TOKEN && invitationUsed)) return dead('was already used');
    if (body?.token !== fx.INVITATION_TOKEN) return dead('is not valid');
    if (verb === 'lookup') return { status: 200, body: { email: fx.invited.email, organizationName: fx.invited.organizationName, expiresAt: fx.invited.expiresAt } };
    if (typeof body.password !== 'string' || body.password.length < 12) {
      return withErrors(problem(400, 'Bad Request', 'password must be at least 12 characters', 'validation'), [{ field: 'password', message: 'must be at least 12 characters' }]);
    }
    invitationUsed = true;
    const created = { ...users.find((u) => u.id === ids.draftAdmin)!, id: `66666666-6666-4666-8666-${String(++counter).padStart(12, '0')}`, email: fx.invited.email, displayName: String(body.displayName) };
    users.push(created);
    return { status: 201, body: { userId: created.id, email: created.email, organizationId: fx.invited.organizationId } };
  }

  function route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown> | undefined, actor: Actor): Reply {
    const p = path.replace(/^\/api\/v1/, '').split('/').filter(Boolean);
    const [res, id, verb] = p;
    const role = actor.user.role;
    const orgScope = role === 'member-admin' ? actor.user.organizationId : undefined;
    const mine = <T extends { organizationId: string | null }>(x: T) => orgScope === undefined || x.organizationId === orgScope;

    if (res === 'auth') {
      if (method === 'GET' && id === 'me') return { status: 200, body: actor.user };
      if (method === 'POST' && id === 'sessions' && verb === 'current' && p[3] === 'end') {
        if (!actor.familyId) return problem(400, 'Bad Request', 'an API token has no session to end', 'validation');
        families.get(actor.familyId)!.ended = true;
        return { status: 204, headers: { 'Set-Cookie': clearCookie } };
      }
      if (method === 'POST' && id === 'totp' && actor.apiToken) return problem(403, 'Forbidden', 'only a signed-in user has a second factor (API tokens do not)', 'forbidden');
      if (method === 'POST' && id === 'totp' && actor.user.totpEnabled) return problem(409, 'Conflict', 'TOTP is already enabled for this account', 'conflict');
      if (method === 'POST' && id === 'totp' && verb === 'setup') {
        return { status: 200, body: { secret: ENROLL_SECRET, otpauthUri: `otpauth://totp/Anchorage:${encodeURIComponent(actor.user.email)}?secret=${ENROLL_SECRET}&issuer=Anchorage` } };
      }
      if (method === 'POST' && id === 'totp' && verb === 'confirm') {
        if (body?.code !== ENROLL_CODE) return problem(400, 'Bad Request', 'the code does not match: check the time on your device and enter the current code', 'validation');
        actor.user.totpEnabled = true;
        recoveryLeft.set(actor.user.id, STAND_IN_RECOVERY_CODES.length);
        return { status: 200, body: { recoveryCodes: STAND_IN_RECOVERY_CODES, remaining: STAND_IN_RECOVERY_CODES.length, total: 10 }, headers: { 'Cache-Control': 'no-store' } };
      }
      if (id === 'recovery-codes' && (method === 'GET' || method === 'POST')) {
        if (actor.apiToken) return problem(403, 'Forbidden', 'only a signed-in user has recovery codes (API tokens do not)', 'forbidden');
        if (!actor.user.totpEnabled) return problem(409, 'Conflict', 'turn on two-factor authentication first: recovery codes stand in for its codes', 'conflict');
        if (method === 'GET') return { status: 200, body: { remaining: recoveryLeft.get(actor.user.id) ?? 10, total: 10 } };
        recoveryLeft.set(actor.user.id, 10);
        return { status: 200, body: { recoveryCodes: STAND_IN_RECOVERY_CODES_2, remaining: 10, total: 10 }, headers: { 'Cache-Control': 'no-store' } };
      }
    }
    if (method === 'POST' && role === 'auditor') return forbidden(role);
    const delegated = workers.route(method, p, query, body, actor.user) ?? notices.route(method, p, query, body, actor.user)
      ?? certificationSide.route(method, p, query, body, actor.user) ?? chartRoute(method, p, query, actor.user, workers.cas);
    if (delegated) return delegated;
    if (method === 'GET' && res === 'communities') {
      return id ? one('community', fx.communities, id, (c) => ({ cas: workers.cas.filter((x) => x.communityId === c.id) })) : list('communities', fx.communities, query, () => true);
    }
    if (res === 'organizations') {
      const visible = organizations.filter((o) => orgScope === undefined || o.id === orgScope);
      if (method === 'GET' && !verb) {
        return id ? one('organization', visible, id) : list('organizations', visible, query, (o, f) => (!f.communityId || o.communityId === f.communityId) && (!f.status || o.status === f.status));
      }
      const o = visible.find((x) => x.id === id);
      if (!o) return problem(404, 'Not Found', `organization ${id} not found`, 'not-found');
      const reply = organizationVerb(method, verb, p[3], o, body, actor.user);
      if (reply) return reply;
    }
    if (res === 'invitations') {
      if (role === 'member-admin') return forbidden(role);
      if (method === 'GET' && !id) return list('invitations', invitations, query, (i, f) => !f.organizationId || i.organizationId === f.organizationId);
      if (role !== 'operator') return forbidden(role);
      if (method === 'POST' && !id) return invite(body ?? {});
      if (method === 'POST' && verb === 'revoke') {
        const inv = invitations.find((i) => i.id === id);
        if (!inv) return problem(404, 'Not Found', `invitation ${id} not found`, 'not-found');
        if (inv.state !== 'pending') return problem(409, 'Conflict', `invitation ${id} is ${inv.state}, not pending`, 'invalid-transition');
        inv.state = 'revoked';
        return { status: 200, body: inv };
      }
    }
    if (res === 'certificate-requests') {
      const visible = requests.filter(mine);
      if (method === 'GET') {
        return id ? one('certificate request', visible, id)
          : list('certificate-requests', visible, query, (r, f) => (!f.status || r.status === f.status) && (!f.organizationId || r.organizationId === f.organizationId));
      }
      if (method === 'POST' && !id) return submitRequest(body ?? {}, actor, orgScope);
      const r = visible.find((x) => x.id === id);
      if (!r) return problem(404, 'Not Found', `certificate request ${id} not found`, 'not-found');
      return decideRequest(verb, r, body, actor);
    }
    if (method === 'GET' && res === 'certificates' && !verb) {
      const visible = fx.certificates.filter(mine);
      if (id) return one('certificate', visible, id);
      return list('certificates', visible, query, (c, f) =>
        (!f.status || c.status === f.status) && (!f.serial || c.serial === f.serial.toLowerCase()) && (!f.organizationId || c.organizationId === f.organizationId)
        && (!f.issuerId || c.issuerId === f.issuerId) && (!f.san || c.sanUris.includes(f.san)));
    }
    if (method === 'POST' && res === 'certificates' && verb === 'revoke') {
      const c = fx.certificates.filter(mine).find((x) => x.id === id);
      if (!c) return problem(404, 'Not Found', `certificate ${id} not found`, 'not-found');
      if (role === 'member-admin' && !SUBSCRIBER_REASONS.includes(body?.reason as RevocationReasonName)) {
        return problem(403, 'Forbidden', `a member may not revoke with reason ${String(body?.reason)}`, 'reason-not-allowed');
      }
      if (c.serial === '0a1b') return problem(409, 'Conflict', 'certificate 0a1b is already revoked', 'already-revoked');
      return { status: 200, body: { certificate: { ...c, status: 'revoked', revokedAt: new Date().toISOString(), revocationReason: body?.reason }, crl: fx.crl } };
    }
    if (method === 'POST' && res === 'certificates' && verb === 'release-hold') {
      if (role !== 'operator') return forbidden(role);
      const c = fx.certificates.find((x) => x.id === id);
      if (!c || c.status !== 'on-hold') return problem(409, 'Conflict', `certificate ${id} is not on hold`, 'not-revoked');
      return { status: 200, body: { certificate: { ...c, status: 'issued', revokedAt: null, revocationReason: null }, crl: fx.crl } };
    }
    if (method === 'GET' && res === 'users') {
      const visible = users.filter(mine);
      return id ? one('user', visible, id) : list('users', visible, query, (u, f) => (!f.role || u.role === f.role) && (!f.organizationId || u.organizationId === f.organizationId));
    }
    if (method === 'POST' && res === 'users' && !id) {
      if (role !== 'operator') return forbidden(role);
      const input = body ?? {};
      if (typeof input.password !== 'string' || input.password.length < 12) return problem(400, 'Bad Request', 'password must be at least 12 characters', 'validation');
      if (users.some((u) => u.email === input.email)) return problem(409, 'Conflict', `a user with e-mail ${String(input.email)} already exists`, 'conflict');
      const created: UserView = {
        id: `66666666-6666-4666-8666-${String(++counter).padStart(12, '0')}`, email: String(input.email), displayName: String(input.displayName),
        role: input.role as UserView['role'], organizationId: (input.organizationId as string | undefined) ?? null,
        communities: (input.communities as UserView['communities'] | undefined) ?? [], totpEnabled: requiresTwoFactor(input.role as UserView['role']),
        lockedUntil: null, disabled: false, createdAt: new Date().toISOString(),
      };
      users.push(created);
      const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
      const view: CreatedUserView = {
        ...created,
        totpEnrollment: requiresTwoFactor(created.role) ? { secret, otpauthUri: `otpauth://totp/Anchorage:${encodeURIComponent(created.email)}?secret=${secret}&issuer=Anchorage`, recoveryCodes: STAND_IN_RECOVERY_CODES } : null,
      };
      return { status: 201, body: view, headers: { 'Cache-Control': 'no-store' } };
    }
    if (method === 'GET' && res === 'cas' && id && !verb) return one('CA', workers.cas, id);
    if (method === 'GET' && res === 'cas' && verb === 'crls' && p[3]) {
      const hit = fx.crlHistory.find((c) => c.caId === id && c.crlNumber === p[3]);
      return hit ? { status: 200, raw: fx.crlDer(hit.crlNumber), headers: { 'Content-Type': 'application/pkix-crl' } } : problem(404, 'Not Found', `CRL ${p[3]} of CA ${id} not found`, 'not-found');
    }
    if (method === 'GET' && res === 'cas' && verb === 'crls') return list('crls', fx.crlHistory.filter((c) => c.caId === id), query, () => true);
    if (method === 'GET' && res === 'dashboard') return { status: 200, body: role === 'member-admin' ? fx.memberDashboard : fx.operatorDashboard };
    if (method === 'GET' && res === 'audit') {
      if (!(role === 'auditor' || (role === 'operator' && actor.user.communities === 'all'))) return forbidden(role);
      if (id === 'verify') {
        return { status: 200, body: auditBroken ? { ok: false, checked: 41, problem: { seq: '42', message: 'hash does not match the event' } } : { ok: true, checked: fx.auditEvents.length } };
      }
      if (id !== 'events') return problem(404, 'Not Found', `no route for ${method} ${path}`);
      if (verb === 'export' || query.has('range') || query.has('sort') || query.has('filter')) {
        // the list dialect, as the API answers it: filter, sort (seq or at; newest first by default), range, and the export
        const f = JSON.parse(query.get('filter') ?? '{}') as Record<string, string>;
        const [field, dir] = JSON.parse(query.get('sort') ?? '["seq","DESC"]') as [string, string];
        const q = f.q?.toLowerCase();
        const hits = fx.auditEvents.filter((e) => (!f.actor || e.actor === f.actor) && (!f.action || e.action.startsWith(f.action))
          && (!f.subjectType || e.subjectType === f.subjectType) && (!f.subjectId || e.subjectId === f.subjectId)
          && (!f.from || e.at >= new Date(f.from).toISOString()) && (!f.to || e.at < new Date(f.to).toISOString())
          && (!q || [e.action, e.actor, e.subjectId, JSON.stringify(e.data)].some((t) => t.toLowerCase().includes(q))))
          .sort((a, b) => (field === 'at' ? a.at.localeCompare(b.at) : 0) || Number(a.seq) - Number(b.seq));
        if (dir === 'DESC') hits.reverse();
        if (verb === 'export') {
          const csv = query.get('format') === 'csv';
          const text = csv
            ? ['seq,chainSeq,at,actor,action,subjectType,subjectId,data,prevHash,hash', ...hits.map((e) => [e.seq, e.chainSeq, e.at, e.actor, e.action, e.subjectType, e.subjectId, `"${JSON.stringify(e.data).replaceAll('"', '""')}"`, e.prevHash, e.hash].join(','))].join('\r\n') + '\r\n'
            : hits.map((e) => `${JSON.stringify(e)}\n`).join('');
          return { status: 200, raw: Buffer.from(text), headers: { 'Content-Type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8', 'Content-Disposition': `attachment; filename="audit-events.${csv ? 'csv' : 'jsonl'}"` } };
        }
        return list('audit-events', hits, query, () => true);
      }
      const after = Number(query.get('after') ?? '0');
      const limit = Number(query.get('limit') ?? '100');
      const action = query.get('action');
      const hits = fx.auditEvents.filter((e) => Number(e.seq) > after
        && (!query.get('subjectId') || e.subjectId === query.get('subjectId'))
        && (!query.get('actor') || e.actor === query.get('actor'))
        && (!action || (action.endsWith('.') ? e.action.startsWith(action) : e.action === action)));
      return { status: 200, body: hits.slice(0, limit) };
    }
    return problem(404, 'Not Found', `no route for ${method} ${path}`);
  }

  function organizationVerb(method: string, verb: string, sub: string | undefined, o: OrganizationView, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    const role = user.role;
    // no monitored servers in the fixture (the real API's conformance pages: conformance.e2e-spec.ts)
    if (verb === 'conformance' && method === 'GET' && !sub) return { status: 200, body: { organizationId: o.id, summary: { passing: 0, failing: 0, unknown: 0 }, endpoints: [] } };
    if (verb === 'impact' && method === 'GET' && !sub) {
      if (role === 'member-admin') return forbidden(role);
      const known = new Map(checks.filter((c) => c.organizationId === o.id).map((c) => [c.uri, c]));
      const view: OrganizationImpactView = {
        organizationId: o.id, name: o.name, status: o.status, at: new Date().toISOString(), certificates: affectedCertificates((c) => c.organizationId === o.id),
        profileRevision: o.profileRevision,
        sanUris: [...new Set([...(o.profile.requestedSanUris ?? []), ...o.sanUris])].map((uri) => {
          const c = known.get(uri);
          return {
            uri, alreadyBound: o.sanUris.includes(uri), check: c?.status ?? 'never-checked', lastError: c?.status === 'failed' ? c.lastError : null, checkedAt: c?.checkedAt ?? null,
          };
        }),
      };
      return { status: 200, body: view };
    }
    if (verb === 'endpoint-checks') {
      if (method === 'GET' && !sub) return { status: 200, body: checks.filter((c) => c.organizationId === o.id) };
      if (method !== 'POST') return null;
      const uri = String(body?.uri ?? '');
      if (![...o.sanUris, ...(o.profile.requestedSanUris ?? [])].includes(uri)) {
        return problem(400, 'Bad Request', `uri must be one of the organization's SAN URIs (bound or requested): ${o.sanUris.join(', ') || 'none yet'}`, 'validation');
      }
      const at = checks.findIndex((c) => c.organizationId === o.id && c.uri === uri);
      if (!sub) {
        const c = fx.endpointCheck(o.id, uri);
        if (at >= 0) checks[at] = c;
        else checks.push(c);
        return { status: 201, body: c };
      }
      if (sub === 'run') {
        if (at < 0) return problem(409, 'Conflict', `no endpoint check was started for ${uri}; start one to get the token to publish`, 'conflict');
        const now = new Date().toISOString();
        checks[at] = fx.VERIFIED_HOST.test(uri)
          ? { ...checks[at], status: 'verified', checkedAt: now, verifiedAt: now, lastError: null }
          : { ...checks[at], status: 'failed', checkedAt: now, lastError: fx.ENDPOINT_CHECK_ERROR };
        return { status: 200, body: checks[at] };
      }
      return null;
    }
    if (method !== 'POST') return null;
    const move = (from: string[], to: OrganizationView['status'], patch: Partial<OrganizationView> = {}): Reply => {
      if (!from.includes(o.status)) return problem(409, 'Conflict', `organization ${o.id} is ${o.status}; this needs it to be ${from.join(' or ')}`, 'invalid-transition');
      Object.assign(o, { status: to, ...patch });
      return { status: 200, body: o };
    };
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    const needReason = () => problem(400, 'Bad Request', 'reason is required (1 to 1000 characters)', 'validation');
    if (verb === 'submit') {
      const errors = validateProfile(body ?? {});
      if (errors.length) return withErrors(problem(400, 'Bad Request', errors.map((e) => `${e.field} ${e.message}`).join('; '), 'validation'), errors);
      return move(['draft', 'rejected', 'submitted'], 'submitted', {
        profile: body as unknown as OrganizationProfile, profileRevision: o.profileRevision + 1, submittedAt: new Date().toISOString(), statusReason: null,
      });
    }
    if (role !== 'operator') return forbidden(role);
    if (verb === 'approve') {
      const revision = body?.profileRevision;
      if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1) {
        return withErrors(problem(400, 'Bad Request', 'profileRevision is required: the revision of the profile you reviewed', 'validation'), [{ field: 'profileRevision', message: 'is required' }]);
      }
      if (o.status === 'submitted' && revision !== o.profileRevision) {
        return problem(409, 'Conflict', `the profile of organization ${o.id} changed: it was submitted again (revision ${o.profileRevision}) after revision ${revision}, the one reviewed; review revision ${o.profileRevision} and decide again`, 'profile-changed');
      }
      return move(['submitted'], 'active', { sanUris: o.profile.requestedSanUris ?? [], name: o.profile.legalName ?? o.name, reviewedAt: new Date().toISOString(), statusReason: null });
    }
    if (verb === 'reject') return reason ? move(['submitted'], 'rejected', { statusReason: reason, reviewedAt: new Date().toISOString() }) : needReason();
    if (verb === 'suspend') return reason ? workers.suspension(o, body, userActorId(user.email, user.id), () => move(['active'], 'suspended', { statusReason: reason })) : needReason();
    if (verb === 'reinstate') return move(['suspended'], 'active', { statusReason: null });
    return null;
  }

  function invite(input: Record<string, unknown>): Reply {
    const email = String(input.email ?? '').trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return problem(400, 'Bad Request', 'email must be an e-mail address', 'validation');
    if (email === BOUNCING_EMAIL) {
      return problem(502, 'Bad Gateway', `the mail server refused the message to ${email}: 550 no such mailbox; nothing was stored, try again`, 'mail-failed');
    }
    let org: OrganizationView | undefined;
    if (input.organizationId !== undefined) {
      org = organizations.find((o) => o.id === input.organizationId);
      if (!org) return problem(404, 'Not Found', `organization ${String(input.organizationId)} not found`, 'not-found');
    } else {
      const name = String(input.organizationName ?? '').trim();
      if (!name) return problem(400, 'Bad Request', 'organizationName must be 1 to 200 characters', 'validation');
      if (!fx.communities.some((c) => c.id === input.communityId)) return problem(404, 'Not Found', `community ${String(input.communityId)} not found`, 'not-found');
      org = {
        id: `99999999-9999-4999-8999-${String(++counter).padStart(12, '0')}`, communityId: String(input.communityId), name, sanUris: [], status: 'draft',
        statusReason: null, profile: {}, profileRevision: 0, submittedAt: null, reviewedAt: null, createdAt: new Date().toISOString(), webhookUrl: null,
      };
      organizations.push(org);
    }
    const now = new Date();
    const invitation: InvitationView = {
      id: `77777777-7777-4777-8777-${String(++counter).padStart(12, '0')}`, organizationId: org.id, email, invitedBy: ids.operator,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(), state: 'pending',
    };
    invitations.unshift(invitation);
    return { status: 201, body: { invitation, organization: org } };
  }

  function submitRequest(input: Record<string, unknown>, actor: Actor, orgScope: string | null | undefined): Reply {
    if (actor.user.role === 'auditor') return forbidden('auditor');
    const org = organizations.find((o) => o.id === input.organizationId && (orgScope === undefined || o.id === orgScope));
    if (!org) return problem(404, 'Not Found', `organization ${String(input.organizationId)} not found`, 'not-found');
    const csr = typeof input.csr === 'string' ? input.csr : '';
    if (!csr.includes('-----BEGIN CERTIFICATE REQUEST-----') && typeof input.csrDerBase64 !== 'string') {
      return problem(400, 'Bad Request', 'the CSR is not a PKCS #10 request: expected PEM "CERTIFICATE REQUEST" or DER', 'bad-csr');
    }
    const sanUris = (input.sanUris as string[] | undefined) ?? [];
    const foreign = sanUris.filter((u) => !org.sanUris.includes(u));
    if (foreign.length) {
      return withErrors(problem(422, 'Unprocessable Entity', `SAN URI ${foreign[0]} is not registered to organization "${org.name}"; bind it to the organization first`, 'san-invalid'),
        [{ field: 'sanUris', message: 'not bound' }]);
    }
    const created: CertificateRequestView = {
      id: `88888888-8888-4888-8888-${String(++counter).padStart(12, '0')}`, organizationId: org.id, profile: input.profile as CertificateRequestView['profile'], sanUris,
      keyType: (input.keyType as CertificateRequestView['keyType'] | undefined) ?? 'RSA-2048', csrPem: csr || '(DER)', status: 'submitted', reason: null,
      requestId: (input.requestId as string | undefined) ?? null, renewalOf: (input.renewalOf as string | undefined) ?? null, requestedBy: actor.user.id,
      createdAt: new Date().toISOString(), decidedBy: null, decidedAt: null, certificateId: null,
    };
    requests.unshift(created);
    return { status: 201, body: created };
  }

  function decideRequest(verb: string, r: CertificateRequestView, body: Record<string, unknown> | undefined, actor: Actor): Reply {
    const role = actor.user.role;
    if (verb === 'cancel') {
      if (r.status !== 'submitted') return problem(409, 'Conflict', `certificate request ${r.id} is ${r.status}; this needs it to be submitted`, 'invalid-transition');
      Object.assign(r, { status: 'cancelled', decidedBy: actor.user.id, decidedAt: new Date().toISOString() });
      return { status: 200, body: r };
    }
    if (role !== 'operator') return forbidden(role);
    if (r.status !== 'submitted') return problem(409, 'Conflict', `certificate request ${r.id} is ${r.status}; this needs it to be submitted`, 'invalid-transition');
    if (verb === 'reject') {
      const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
      if (!reason) return problem(400, 'Bad Request', 'reason is required (1 to 1000 characters)', 'validation');
      Object.assign(r, { status: 'rejected', reason, decidedBy: actor.user.id, decidedAt: new Date().toISOString() });
      return { status: 200, body: r };
    }
    if (verb === 'approve') {
      const certificate = fx.certificates.find((c) => c.id === ids.revocable)!;
      Object.assign(r, { status: 'issued', certificateId: certificate.id, decidedBy: actor.user.id, decidedAt: new Date().toISOString() });
      return { status: 200, body: { request: r, certificate } };
    }
    return problem(404, 'Not Found', `no route for POST ${verb}`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (!url.pathname.startsWith('/api/')) return serveStatic(dist, url.pathname, res);
    void readBody(req).then((body) => {
      const method = req.method ?? 'GET';
      const parts = url.pathname.split('/');
      let reply = parts[3] === 'auth' ? authRoute(method, parts[4], body, req) : parts[3] === 'invitations' ? publicRoute(method, parts[4], body) : null;
      if (!reply) {
        const actor = authenticate(req.headers.authorization);
        reply = actor
          ? route(method, url.pathname, url.searchParams, body, actor)
          : problem(401, 'Unauthorized', 'sign in, or send an operator API token (Authorization: Bearer <token>)', 'unauthorized');
      }
      calls.push({ method, path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization, cookie: cookieOf(req) !== undefined, status: reply.status });
      const type = reply.status >= 400 ? 'application/problem+json' : 'application/json';
      if (reply.raw) {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.raw);
        return;
      }
      res.writeHead(reply.status, { ...(reply.body === undefined ? {} : { 'Content-Type': type }), ...reply.headers });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expired = true;
    },
    endAllSessions: () => {
      for (const f of families.values()) f.ended = true;
    },
    breakAuditChain: (broken) => {
      auditBroken = broken;
    },
    setQueuesAvailable: workers.setQueuesAvailable,
    setRootOffline: workers.setRootOffline,
    webhookSecrets: notices.secrets,
    subscriptionSecrets: notices.subscriptionSecrets,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function serveStatic(dist: string, path: string, res: ServerResponse): void {
  const file = normalize(join(dist, decodeURIComponent(path)));
  const target = file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' });
  createReadStream(target).pipe(res);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

/** A small part of the API's profile validation: enough to produce per-field errors like the real one. */
function validateProfile(p: Record<string, unknown>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  if (!text(p.legalName)) errors.push({ field: 'legalName', message: 'is required' });
  const ids = Array.isArray(p.identifiers) ? (p.identifiers as Record<string, unknown>[]) : [];
  if (ids.length === 0) errors.push({ field: 'identifiers', message: 'give at least one identifier (NPI, OID, LEI or other)' });
  ids.forEach((i, n) => {
    if (!text(i.value)) errors.push({ field: `identifiers[${n}].value`, message: 'is required' });
    else if (i.type === 'NPI' && !/^\d{10}$/.test(text(i.value))) errors.push({ field: `identifiers[${n}].value`, message: 'is not a valid NPI (10 digits, Luhn check digit)' });
  });
  const a = (p.address ?? {}) as Record<string, unknown>;
  if (!Array.isArray(a.lines) || a.lines.length === 0) errors.push({ field: 'address.lines', message: 'give 1 to 4 address lines' });
  if (!text(a.city)) errors.push({ field: 'address.city', message: 'is required' });
  if (!/^[A-Z]{2}$/.test(text(a.country))) errors.push({ field: 'address.country', message: 'must be an ISO 3166-1 alpha-2 code such as US or NL' });
  for (const c of ['technicalContact', 'securityContact']) {
    const v = (p[c] ?? {}) as Record<string, unknown>;
    if (!text(v.name)) errors.push({ field: `${c}.name`, message: 'is required' });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text(v.email))) errors.push({ field: `${c}.email`, message: 'must be an e-mail address' });
  }
  const sans = Array.isArray(p.requestedSanUris) ? (p.requestedSanUris as string[]) : [];
  if (sans.length === 0) errors.push({ field: 'requestedSanUris', message: 'give at least one endpoint or client URI' });
  sans.forEach((u, n) => {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/.test(u)) errors.push({ field: `requestedSanUris[${n}]`, message: `${u} is not an absolute http(s) URI in canonical form` });
  });
  return errors;
}
