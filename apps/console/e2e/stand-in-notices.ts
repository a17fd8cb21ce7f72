// The stand-in API's expiry-notice routes: an organization's webhook (set, with a new secret each time and
// the URL checked like the API does; remove) and the expiry notices list, scoped like the API's (a member
// admin sees its organization's certificate notices only).
import { OUTBOUND_FAILURES, type ExpiryNoticeView, type OrganizationView, type RevocationSubscriptionView, type UserView, type WebhookSettingView } from '@anchorage/contracts';
import * as fx from './fixtures';
import { forbidden, list, problem, type Reply } from './stand-in-http';

/** Fixed ids of the notices. */
export const noticeIds = {
  delivered: 'aaaaaaaa-0000-4000-8000-000000000001',
  earlier: 'aaaaaaaa-0000-4000-8000-000000000002',
  webhookFailing: 'aaaaaaaa-0000-4000-8000-000000000003',
  noRecipients: 'aaaaaaaa-0000-4000-8000-000000000004',
  ca: 'aaaaaaaa-0000-4000-8000-000000000005',
};

/** Harbor Labs' webhook, which keeps answering 503. */
export const FAILING_WEBHOOK = 'https://hooks.harbor.example/expiry';
export const WEBHOOK_ERROR = 'http-status';
/** What the console shows for it. */
export const WEBHOOK_ERROR_TEXT = OUTBOUND_FAILURES[WEBHOOK_ERROR];
/** Why the CA's notice has not been e-mailed yet. */
export const MAIL_ERROR = 'the mail server refused the message: 451 4.3.0 try again later';
/** What the API records when no one could be e-mailed. */
export const NO_RECIPIENTS_ERROR = 'no enabled recipient to e-mail';
/** The URL error of the API's webhook check. */
export const BAD_URL_MESSAGE = 'must be an absolute https:// URL';

const notice = (id: string, extra: Partial<ExpiryNoticeView>): ExpiryNoticeView => ({
  id, subjectType: 'certificate', certificateId: null, caId: null, organizationId: null, communityId: fx.ids.community, thresholdDays: 30,
  notAfter: '2026-03-01T00:00:00.000Z', createdAt: '2026-01-30T06:00:00.000Z', emailTo: [], emailSentAt: null, webhookUrl: null, webhookDeliveredAt: null,
  webhookAttempts: 0, lastError: null, ...extra,
});

/**
 * Notices, in no particular order (the stand-in sorts): Sunrise Clinic's 0f4a at 14 days (e-mailed and
 * delivered to its webhook) and 0a1b at 30 days (e-mailed, no webhook then); Harbor Labs' 0e3f at 7 days
 * (e-mailed, its webhook failing) and 0d5e at 1 day (nobody to e-mail); the issuing CA at 90 days (e-mail refused).
 */
export const expiryNotices: ExpiryNoticeView[] = [
  notice(noticeIds.earlier, {
    certificateId: fx.ids.revokedElsewhere, organizationId: fx.ids.org, thresholdDays: 30, createdAt: '2026-01-30T06:00:00.000Z',
    emailTo: ['mia@sunrise.example'], emailSentAt: '2026-01-30T06:00:02.000Z',
  }),
  notice(noticeIds.delivered, {
    certificateId: fx.ids.revocable, organizationId: fx.ids.org, thresholdDays: 14, createdAt: '2026-02-15T06:00:00.000Z',
    emailTo: ['mia@sunrise.example', 'ops@sunrise.example'], emailSentAt: '2026-02-15T06:00:02.000Z',
    webhookUrl: 'https://hooks.sunrise.example/anchorage', webhookDeliveredAt: '2026-02-15T06:00:03.000Z', webhookAttempts: 1,
  }),
  notice(noticeIds.webhookFailing, {
    certificateId: fx.ids.otherOrgCert, organizationId: fx.ids.otherOrg, thresholdDays: 7, createdAt: '2026-02-22T06:00:00.000Z',
    emailTo: ['hugo@harbor.example'], emailSentAt: '2026-02-22T06:00:02.000Z', webhookUrl: FAILING_WEBHOOK, webhookAttempts: 3, lastError: WEBHOOK_ERROR,
  }),
  notice(noticeIds.noRecipients, {
    certificateId: fx.ids.expiredCert, organizationId: fx.ids.otherOrg, thresholdDays: 1, notAfter: '2025-06-01T00:00:00.000Z', createdAt: '2025-05-31T06:00:00.000Z',
    lastError: NO_RECIPIENTS_ERROR,
  }),
  notice(noticeIds.ca, {
    subjectType: 'ca', caId: fx.ids.issuingCa, thresholdDays: 90, notAfter: '2026-05-01T00:00:00.000Z', createdAt: '2026-01-31T06:00:00.000Z', lastError: MAIL_ERROR,
  }),
];

const subscription = (id: string, extra: Partial<RevocationSubscriptionView>): RevocationSubscriptionView => ({
  id, communityId: fx.ids.community, ownerType: 'relying-party', organizationId: null, relyingParty: null, callbackUrl: '', status: 'active', pausedReason: null,
  health: 'ok', consecutiveFailures: 0, totalFailures: 0, lastError: null, lastFailureAt: null, lastDeliveredAt: null,
  createdAt: '2026-02-01T09:00:00.000Z', updatedAt: '2026-02-01T09:00:00.000Z', ...extra,
});

/** Fixed ids of the revocation subscriptions. */
export const subscriptionIds = {
  hie: 'bbbbbbbb-0000-4000-8000-000000000001',
  sunrise: 'bbbbbbbb-0000-4000-8000-000000000002',
  harbor: 'bbbbbbbb-0000-4000-8000-000000000003',
  cancelled: 'bbbbbbbb-0000-4000-8000-000000000004',
};

/**
 * Revocation subscriptions: a relying party registered by an operator (delivering), Sunrise Clinic's own
 * (failing: its receiver times out), Harbor Labs' (paused by the platform after repeated failures) and a
 * cancelled one (listed only when asked for by status).
 */
export const revocationSubscriptions: RevocationSubscriptionView[] = [
  subscription(subscriptionIds.hie, {
    relyingParty: 'Statewide HIE', callbackUrl: 'https://hie.example.org/anchorage/revocations', lastDeliveredAt: '2026-02-20T08:00:00.412Z', totalFailures: 1,
    createdAt: '2026-02-01T09:00:00.000Z',
  }),
  subscription(subscriptionIds.sunrise, {
    ownerType: 'organization', organizationId: fx.ids.org, callbackUrl: 'https://fhir.sunrise.example/revocations', health: 'failing', consecutiveFailures: 3, totalFailures: 3,
    lastError: 'timeout', lastFailureAt: '2026-02-20T08:01:10.000Z', lastDeliveredAt: '2026-02-10T08:00:00.300Z', createdAt: '2026-02-05T09:00:00.000Z',
  }),
  subscription(subscriptionIds.harbor, {
    ownerType: 'organization', organizationId: fx.ids.otherOrg, callbackUrl: 'https://harbor.example/crl-hook', status: 'paused', pausedReason: 'failing', health: 'paused',
    consecutiveFailures: 24, totalFailures: 30, lastError: 'connect-failed', lastFailureAt: '2026-02-19T10:00:00.000Z', createdAt: '2026-02-03T09:00:00.000Z',
  }),
  subscription(subscriptionIds.cancelled, {
    relyingParty: 'Old Gateway', callbackUrl: 'https://old-gateway.example/revocations', status: 'cancelled', health: 'cancelled', createdAt: '2026-01-15T09:00:00.000Z',
  }),
];

/** What the stand-in API asks of the notice side, and what the test reads. */
export interface Notices {
  /** Answers a notice route (the webhook of an organization, the notices list), or null when `p` is not one. */
  route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null;
  /** Every webhook secret handed out, oldest first. */
  secrets: string[];
  /** Every revocation subscription secret handed out (subscribing, rotating), oldest first. */
  subscriptionSecrets: string[];
}

/** The callback URL refusals of the API (libs/authority notices/webhooks.ts checkUrl with the outbound guard of a production deployment). */
export const CALLBACK_NOT_HTTPS = 'must be an https:// URL';
export const CALLBACK_NOT_PUBLIC = 'must not be a private, loopback, link-local or other non-public address';

/** The API's callback URL check as a production deployment runs it: https, no credentials or fragment, no non-public address literal. */
function callbackProblem(value: unknown): string | null {
  let u: URL;
  try {
    u = new URL(String(value ?? ''));
  } catch {
    return 'must be an absolute https:// URL';
  }
  if (u.hash || u.username || u.password) return 'must be an https:// URL without credentials or fragment';
  if (u.protocol !== 'https:') return CALLBACK_NOT_HTTPS;
  if (/^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|\[|localhost$)/.test(u.hostname)) return CALLBACK_NOT_PUBLIC;
  return null;
}

const SORTABLE = ['createdAt', 'notAfter', 'thresholdDays'];

/** The API's URL check (libs/authority notices/webhooks.ts): an absolute http(s) URL without credentials or fragment. */
function checkUrl(value: unknown): string | null {
  try {
    const u = new URL(String(value ?? ''));
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.hash ? u.toString() : null;
  } catch {
    return null;
  }
}

/** The notice side's state, fresh for one stand-in; `organizations` is the stand-in's own (their webhookUrl changes). */
export function startNotices(organizations: OrganizationView[]): Notices {
  const notices = expiryNotices.map((n) => ({ ...n, emailTo: [...n.emailTo] }));
  const secrets: string[] = [];

  function webhook(method: string, id: string, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    if (method !== 'PUT' && method !== 'DELETE') return null;
    if (user.role === 'auditor') return forbidden(user.role);
    const o = organizations.find((x) => x.id === id && (user.role !== 'member-admin' || x.id === user.organizationId));
    if (!o) return problem(404, 'Not Found', `organization ${id} not found`, 'not-found');
    if (method === 'DELETE') {
      o.webhookUrl = null;
      return { status: 204 };
    }
    const url = checkUrl(body?.url);
    if (!url) {
      const refused = problem(400, 'Bad Request', `url ${BAD_URL_MESSAGE}`, 'validation');
      return { ...refused, body: { ...(refused.body as object), errors: [{ field: 'url', message: BAD_URL_MESSAGE }] } };
    }
    const secret = `whsec_standin${String(secrets.length + 1).padStart(3, '0')}${Buffer.from(`${o.id}|${url}`).toString('base64url').slice(0, 24)}`;
    secrets.push(secret);
    o.webhookUrl = url;
    const view: WebhookSettingView = { url, secret };
    return { status: 200, body: view, headers: { 'Cache-Control': 'no-store' } };
  }

  function listNotices(query: URLSearchParams, user: UserView): Reply {
    const orgScope = user.role === 'member-admin' ? user.organizationId : undefined;
    const filter = JSON.parse(query.get('filter') ?? '{}') as Record<string, string>;
    if (orgScope !== undefined && filter.organizationId && filter.organizationId !== orgScope) {
      return problem(404, 'Not Found', `organization ${filter.organizationId} not found`, 'not-found');
    }
    const [field, order] = JSON.parse(query.get('sort') ?? '["id","DESC"]') as [string, string];
    if (field !== 'id' && !SORTABLE.includes(field)) return problem(400, 'Bad Request', `cannot sort by ${field}; sort by one of: ${SORTABLE.join(', ')}`);
    // like the stand-in's other lists, operators and auditors see every community's
    const visible = notices.filter((n) => orgScope === undefined || (n.subjectType === 'certificate' && n.organizationId === orgScope));
    const key = (n: ExpiryNoticeView) => (field === 'thresholdDays' ? n.thresholdDays : field === 'notAfter' ? Date.parse(n.notAfter) : Date.parse(n.createdAt));
    const sorted = field === 'id' ? visible : [...visible].sort((a, b) => (key(a) - key(b)) * (order === 'ASC' ? 1 : -1));
    return list('expiry-notices', sorted, query, (n, f) => (!f.organizationId || n.organizationId === f.organizationId) && (!f.subjectType || n.subjectType === f.subjectType));
  }

  const subscriptions = revocationSubscriptions.map((x) => ({ ...x }));
  const subscriptionSecrets: string[] = [];
  const newSecret = () => {
    const secret = `rnsec_standin${String(subscriptionSecrets.length + 1).padStart(3, '0')}${Buffer.from(String(Math.random())).toString('base64url').slice(0, 20)}`;
    subscriptionSecrets.push(secret);
    return secret;
  };
  const refused = (field: string, message: string) => {
    const r = problem(400, 'Bad Request', `${field} ${message}`, 'validation');
    return { ...r, body: { ...(r.body as object), errors: [{ field, message }] } };
  };

  /** POST /revocation-subscriptions, checked like the API (subscribe.ts). */
  function subscribe(body: Record<string, unknown> | undefined, user: UserView): Reply {
    if (user.role === 'auditor') return forbidden(user.role);
    const urlProblem = callbackProblem(body?.callbackUrl);
    if (urlProblem) return refused('callbackUrl', urlProblem);
    if (body?.communityId !== fx.ids.community) return refused('communityId', 'must name a community you run');
    let organizationId: string | null = null;
    let relyingParty: string | null = null;
    if (user.role === 'member-admin') {
      if (body.relyingParty !== undefined) return refused('relyingParty', 'is registered by an operator; a member subscribes for its own organization');
      if (body.organizationId !== undefined && body.organizationId !== user.organizationId) return refused('organizationId', 'must be your own organization');
      organizationId = user.organizationId;
    } else {
      if ((body.relyingParty === undefined) === (body.organizationId === undefined)) {
        return refused('relyingParty', 'give either relyingParty (a relying party you register) or organizationId (a member organization), not both');
      }
      if (body.relyingParty !== undefined) {
        relyingParty = String(body.relyingParty).trim();
        if (relyingParty.length < 1 || relyingParty.length > 200) return refused('relyingParty', 'must be a name of 1 to 200 characters');
      } else organizationId = String(body.organizationId);
    }
    if (organizationId && !organizations.some((o) => o.id === organizationId && o.communityId === fx.ids.community)) {
      return refused('organizationId', 'must be an organization of the community');
    }
    const at = new Date().toISOString();
    const created: RevocationSubscriptionView = {
      id: `bbbbbbbb-0000-4000-8000-${String(subscriptions.length + 100).padStart(12, '0')}`, communityId: fx.ids.community,
      ownerType: organizationId ? 'organization' : 'relying-party', organizationId, relyingParty, callbackUrl: new URL(String(body.callbackUrl)).toString(),
      status: 'active', pausedReason: null, health: 'ok', consecutiveFailures: 0, totalFailures: 0, lastError: null, lastFailureAt: null, lastDeliveredAt: null,
      createdAt: at, updatedAt: at,
    };
    subscriptions.push(created);
    return { status: 201, body: { subscription: created, secret: newSecret() }, headers: { 'Cache-Control': 'no-store' } };
  }

  /** pause, resume, rotate-secret and DELETE of one subscription, scoped like the API (404 outside the scope). */
  function manageSubscription(method: string, id: string, verb: string | undefined, user: UserView): Reply | null {
    if (!((method === 'POST' && (verb === 'pause' || verb === 'resume' || verb === 'rotate-secret')) || (method === 'DELETE' && !verb))) return null;
    if (user.role === 'auditor') return forbidden(user.role);
    const s = subscriptions.find((x) => x.id === id && (user.role !== 'member-admin' || x.organizationId === user.organizationId));
    if (!s) return problem(404, 'Not Found', `revocation subscription ${id} not found`, 'not-found');
    if (s.status === 'cancelled') return problem(409, 'Conflict', `revocation subscription ${id} is cancelled`, 'invalid-transition');
    s.updatedAt = new Date().toISOString();
    if (verb === 'pause') Object.assign(s, { status: 'paused', pausedReason: 'manual', health: 'paused' });
    if (verb === 'resume') Object.assign(s, { status: 'active', pausedReason: null, health: 'ok', consecutiveFailures: 0 });
    if (method === 'DELETE') {
      Object.assign(s, { status: 'cancelled', pausedReason: null, health: 'cancelled' });
      return { status: 204 };
    }
    if (verb === 'rotate-secret') return { status: 200, body: { subscription: s, secret: newSecret() }, headers: { 'Cache-Control': 'no-store' } };
    return { status: 200, body: s };
  }

  /** Like the API: newest first, a member admin's organization's only, cancelled ones only when asked for by status. */
  function listSubscriptions(query: URLSearchParams, user: UserView): Reply {
    const orgScope = user.role === 'member-admin' ? user.organizationId : undefined;
    const visible = subscriptions.filter((x) => orgScope === undefined || x.organizationId === orgScope)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    return list('revocation-subscriptions', visible, query, (x, f) => (f.status ? x.status === f.status : x.status !== 'cancelled'));
  }

  function route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    const [res, id, verb] = p;
    if (res === 'organizations' && id && verb === 'webhook' && !p[3]) return webhook(method, id, body, user);
    if (res === 'expiry-notices' && method === 'GET' && !id) return listNotices(query, user);
    if (res === 'revocation-subscriptions' && method === 'GET' && !id) return listSubscriptions(query, user);
    if (res === 'revocation-subscriptions' && method === 'POST' && !id) return subscribe(body, user);
    if (res === 'revocation-subscriptions' && id) return manageSubscription(method, id, verb, user);
    return null;
  }

  return { route, secrets, subscriptionSecrets };
}
