import type {
  ConformanceCheckResultView, OrganizationConformanceView,
  AcceptedInvitationView, AuditEventView, AuditVerificationView, CertificateRequestView, CertificationView, CommunityDetailView, CrlView, DashboardView, ExchangePurpose, EndedCaView, EndpointCheckView, FailedJobView, InvitationCreatedView,
  InvitationLookupView, InvitationView, OrganizationProfile, OrganizationView, QueuesView, RequestApprovalView, RevocationReasonName, RevocationView,
  RevocationSubscriptionSecretView, RevocationSubscriptionView, SubscribeToRevocationsBody,
  CertificationTemplateView, DefineCertificationTemplateBody, IssueCertificationBody, PlatformCertifierView, RecordCertificationBody,
  SuspensionView, TestKitView, WebhookSettingView, CaImpactView, OrganizationImpactView, CreatedUserView, UserView,
  ActivityReportView, CommunityHierarchyView, CreateCommunityBody, CrlReportView, ExpiryReportView, UpdateCommunityPolicyBody,
} from '@anchorage/contracts';
import { HttpError, type DataProvider } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { API_URL, fetchBlob, httpClient } from './http';

/** What a revocation or a hold release returns: the updated certificate and the CRL that reflects it. */
export type RevocationResult = RevocationView;

/** What an invitation link is for, before the invitee accepts it. */
export type InvitationLookup = InvitationLookupView;

/** The account an accepted invitation created. */
export type AcceptedInvitation = AcceptedInvitationView;

/** One event of the audit log (GET /audit/events). */
export type AuditEvent = AuditEventView;

/** What GET /audit/verify reports: the chain is intact, or the first broken event and why. */
export type AuditVerification = AuditVerificationView;

/**
 * The audit list's filter (GET /audit/events?filter=): exact actor, subject type and subject id, an action
 * prefix, `from` (inclusive) and `to` (exclusive) ISO times or dates, and `q`, text in the action, actor,
 * subject id or payload.
 */
export interface AuditFilter {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** The audit list's order: by insertion (seq) or by the event's time (at). */
export type AuditSort = ['seq' | 'at', 'ASC' | 'DESC'];

/** A page of the audit list and how many events its filter matches (Content-Range). */
export interface AuditPage {
  events: AuditEvent[];
  total: number;
}

/** An approved request and the certificate it produced. */
export type RequestApproval = RequestApprovalView;

/**
 * How an organization is suspended: with the reason its members see and, unless it is an investigation
 * freeze (`revokeCertificates: false`), the RFC 5280 reason every live certificate is revoked with.
 */
export interface SuspendInput {
  reason: string;
  revokeCertificates: boolean;
  revocationReason?: RevocationReasonName;
}

/** The reasons a retired issuing CA's certificates may get. */
export type RetirementReason = 'cessationOfOperation' | 'superseded';

/** An invitation as react-admin's create returns it: the invitation, with its (possibly new) organization. */
export type CreatedInvitation = InvitationView & { organization: OrganizationView };

/** react-admin's data provider plus the domain verbs, each calling its dedicated endpoint. */
export interface ConsoleDataProvider extends DataProvider {
  /** Revokes a certificate (or puts it on hold with `certificateHold`). */
  revoke(id: string, reason: RevocationReasonName): Promise<RevocationResult>;
  /** Releases a certificate from hold. */
  releaseHold(id: string): Promise<RevocationResult>;
  /** Revokes a certification with a reason: its status endpoint answers {"valid": false} from then on. */
  revokeCertification(id: string, reason: string): Promise<CertificationView>;
  /** A community's certification templates, oldest first. */
  getCertificationTemplates(communityId: string): Promise<CertificationTemplateView[]>;
  /** Defines a template ({ builtIn: 'tefca-basic-app' } or the community's own terms); a refused term is a 400/422 problem naming its field. */
  defineCertificationTemplate(communityId: string, body: DefineCertificationTemplateBody): Promise<CertificationTemplateView>;
  /** A community's platform certifiers (keys held by the signer). */
  getPlatformCertifiers(communityId: string): Promise<PlatformCertifierView[]>;
  /** Issues a certification signed by a platform certifier. */
  issueCertification(body: IssueCertificationBody): Promise<CertificationView>;
  /** Records a certification JWT an external certifier signed. */
  recordCertification(body: RecordCertificationBody): Promise<CertificationView>;
  /** CRL history of a CA, newest first. */
  getCrls(caId: string, count?: number): Promise<CrlView[]>;

  /** One CRL's DER, fetched with the bearer token (for a download). */
  downloadCrl(caId: string, crlNumber: string): Promise<Blob>;
  /** The dashboard's figures, scoped to the caller. */
  getDashboard(): Promise<DashboardView>;
  /** A page of the audit list: events `first` to `last` (0-based, inclusive) of the filtered, sorted list, and its total. */
  getAuditPage(q: { first: number; last: number; sort: AuditSort; filter: AuditFilter }): Promise<AuditPage>;
  /** The filtered, sorted audit list as a CSV or JSON lines file, fetched with the bearer token (for a download). */
  exportAudit(q: { format: 'csv' | 'jsonl'; sort: AuditSort; filter: AuditFilter }): Promise<Blob>;
  /** Checks the audit chain's hashes. */
  verifyAudit(): Promise<AuditVerification>;

  /** Withdraws a pending invitation. */
  revokeInvitation(id: string): Promise<InvitationView>;
  /** A user account: disable (ending its sessions), enable, unlock after failed sign-ins. */
  manageUser(id: string, action: 'disable' | 'enable' | 'unlock'): Promise<UserView>;
  /** Resets a user's second factor; a role that requires one gets a new TOTP secret, shown this once. */
  resetTwoFactor(id: string): Promise<CreatedUserView>;
  /** Public: what an invitation token is for (a dead link is a 410 problem saying why). */
  lookupInvitation(token: string): Promise<InvitationLookup>;
  /** Public: accepts an invitation, creating the invitee's member-admin account. */
  acceptInvitation(input: { token: string; displayName: string; password: string }): Promise<AcceptedInvitation>;

  /** The member submits (or resubmits) the organization profile. */
  submitProfile(organizationId: string, profile: OrganizationProfile): Promise<OrganizationView>;
  /**
   * Approves revision `profileRevision` of the organization's profile, the one the operator was shown;
   * a 409 profile-changed problem when the member submitted again since (nothing is approved).
   */
  approveOrganization(id: string, profileRevision: number): Promise<OrganizationView>;
  /** What suspending or approving the organization would do: certificates revoked, SAN URIs bound for good with their checks. */
  getOrganizationImpact(id: string): Promise<OrganizationImpactView>;
  rejectOrganization(id: string, reason: string): Promise<OrganizationView>;
  /** Suspends an organization; the answer names the bulk revocation of its certificates, if one was started. */
  suspendOrganization(id: string, input: SuspendInput): Promise<SuspensionView>;
  reinstateOrganization(id: string): Promise<OrganizationView>;

  /**
   * Sets (or replaces) the organization's webhook: the answer carries the new HMAC secret, this once.
   * A bad URL is a 400 problem whose `errors` name the `url` field.
   */
  setWebhook(organizationId: string, url: string): Promise<WebhookSettingView>;
  /** Removes the organization's webhook (notices go by e-mail only). */
  removeWebhook(organizationId: string): Promise<void>;

  /** The endpoint-control checks of an organization. */
  getEndpointChecks(organizationId: string): Promise<EndpointCheckView[]>;
  /** Starts (or restarts) the check of one SAN URI: the token to publish and where. */
  startEndpointCheck(organizationId: string, uri: string): Promise<EndpointCheckView>;
  /** Fetches the published token now and records the outcome. */
  runEndpointCheck(organizationId: string, uri: string): Promise<EndpointCheckView>;

  /** Approves a certificate request: the certificate is issued. */
  approveRequest(id: string): Promise<RequestApproval>;
  rejectRequest(id: string, reason: string): Promise<CertificateRequestView>;
  cancelRequest(id: string): Promise<CertificateRequestView>;

  /** Sets a community's catalog of exchange purposes: a preset, or the whole list. */
  setExchangePurposes(communityId: string, input: { preset: 'tefca' } | { purposes: ExchangePurpose[] }): Promise<CommunityDetailView>;
  /** Creates a community: the API answers once its CA keys, certificates and first CRLs exist (seconds). */
  createCommunity(body: CreateCommunityBody): Promise<CommunityDetailView>;
  /** Changes the policy fields given. */
  updateCommunityPolicy(communityId: string, change: UpdateCommunityPolicyBody): Promise<CommunityDetailView>;
  /** The community's CAs with fingerprints and leaf counts (operators and auditors). */
  getCommunityHierarchy(communityId: string): Promise<CommunityHierarchyView>;
  /** Generates and publishes a CA's CRL now. */
  generateCrl(caId: string): Promise<CrlView>;
  /** Certificates issued and revoked per day over the last `days` days. */
  getActivityReport(days: number): Promise<ActivityReportView>;
  /** Each CA's CRLs of the last `days` days. */
  getCrlReport(days: number): Promise<CrlReportView>;
  /** Certificates expiring per week over the next `weeks` weeks. */
  getExpiryReport(weeks: number): Promise<ExpiryReportView>;
  /** An organization's conformance page: each monitored server with its newest checks. */
  getOrganizationConformance(organizationId: string): Promise<OrganizationConformanceView>;
  /** Checks a monitored server now: the check and the server's new state. */
  checkConformanceEndpoint(endpointId: string): Promise<ConformanceCheckResultView>;

  /** Retires an active issuing CA: no more issuance, every live certificate it issued is revoked. */
  retireCa(id: string, input: { reason: string; revocationReason: RetirementReason }): Promise<EndedCaView>;
  /** What retiring the CA or declaring it compromised would revoke, before deciding. */
  getCaImpact(id: string): Promise<CaImpactView>;
  /** Declares an issuing CA compromised: its certificate and everything it issued are revoked with cACompromise. */
  compromiseCa(id: string, reason: string): Promise<EndedCaView>;

  /**
   * Subscribes a callback URL to a community's revocation notices; the answer carries the HMAC secret, this
   * once. A refused input is a 400 problem whose `errors` name the field (callbackUrl, relyingParty, organizationId, communityId).
   */
  subscribeToRevocations(input: SubscribeToRevocationsBody): Promise<RevocationSubscriptionSecretView>;
  /** Pauses a subscription: no notice is recorded for it until it is resumed. */
  pauseSubscription(id: string): Promise<RevocationSubscriptionView>;
  /** Resumes a paused subscription: notices from the next CRL on. */
  resumeSubscription(id: string): Promise<RevocationSubscriptionView>;
  /** Replaces a subscription's HMAC secret; the answer carries the new one, this once. */
  rotateSubscriptionSecret(id: string): Promise<RevocationSubscriptionSecretView>;
  /** Cancels a subscription (kept with its history, listed under the status cancelled). */
  cancelSubscription(id: string): Promise<void>;
  /** A community's test kit (docs/test-certificates.md); null when it has none yet. */
  getTestKit(communityId: string): Promise<TestKitView | null>;
  /** Creates the community's test kit, or regenerates it (operators). */
  generateTestKit(communityId: string): Promise<TestKitView>;

  /** The worker's queues (counts by state) and the outbox backlog; a 503 queue-unavailable problem while Redis is down. */
  getQueues(): Promise<QueuesView>;
  /** The failed jobs of one queue, newest first. */
  getFailedJobs(queue: string, count?: number): Promise<FailedJobView[]>;
  /** Puts a failed job back into its queue. */
  retryJob(queue: string, jobId: string): Promise<void>;
}

const rest = simpleRestProvider(API_URL, (url, options) => httpClient(url, options as RequestInit));

const call = async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, token?: null): Promise<T> =>
  (await httpClient(`${API_URL}${path}`, { method, ...(method === 'POST' || method === 'PUT' ? { body: JSON.stringify(body ?? {}) } : {}), ...(token === null ? { token } : {}) })).json as T;
const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);
const id = (value: string) => encodeURIComponent(value);

/** Resources whose API path is not their name (react-admin names cannot hold a slash in a route). */
const PATHS: Record<string, string> = { 'conformance-endpoints': 'conformance/endpoints', 'conformance-alerts': 'conformance/alerts' };
const pathOf = (resource: string): string => PATHS[resource] ?? resource;

/** The audit filter as the `filter` query parameter: its fields with a value, trimmed, as encoded JSON. */
const auditFilterParam = (filter: AuditFilter): string =>
  encodeURIComponent(JSON.stringify(Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, String(v ?? '').trim()]).filter(([, v]) => v !== ''))));

/** The console's data provider, speaking the API's simple REST dialect. */
export const dataProvider: ConsoleDataProvider = {
  ...rest,
  getList: (resource, params) => rest.getList(pathOf(resource), params),
  getOne: (resource, params) => rest.getOne(pathOf(resource), params),
  getManyReference: (resource, params) => rest.getManyReference(pathOf(resource), params),
  // The API filters lists by named fields only, so fetch references one by one rather than by `filter={"id":[...]}`.
  getMany: async (resource, params) => ({
    data: await Promise.all(params.ids.map(async (rid) => (await rest.getOne(pathOf(resource), { id: rid, meta: params.meta })).data)),
  }),
  create: async (resource, params) => {
    if (resource !== 'invitations') return rest.create(resource, params);
    // POST /invitations answers { invitation, organization }: react-admin wants the record itself
    const out = await post<InvitationCreatedView>('/invitations', params.data);
    const created: CreatedInvitation = { ...out.invitation, organization: out.organization };
    return { data: created as never }; // react-admin types the record by the caller's generic
  },
  revoke: (cid, reason) => post(`/certificates/${id(cid)}/revoke`, { reason }),
  releaseHold: (cid) => post(`/certificates/${id(cid)}/release-hold`),
  revokeCertification: (cid, reason) => post(`/certifications/${id(cid)}/revoke`, { reason }),
  getCertificationTemplates: (cid) => call('GET', `/communities/${id(cid)}/certification-templates?range=${encodeURIComponent('[0,199]')}`),
  defineCertificationTemplate: (cid, body) => post(`/communities/${id(cid)}/certification-templates`, body),
  getPlatformCertifiers: (cid) => call('GET', `/communities/${id(cid)}/certifiers?range=${encodeURIComponent('[0,199]')}`),
  issueCertification: (body) => post('/certifications/issue', body),
  recordCertification: (body) => post('/certifications', body),
  getCrls: (caId, count = 5) => call('GET', `/cas/${id(caId)}/crls?range=${encodeURIComponent(JSON.stringify([0, count - 1]))}`),

  downloadCrl: (caId, crlNumber) => fetchBlob(`${API_URL}/cas/${id(caId)}/crls/${id(crlNumber)}`),
  getDashboard: () => call('GET', '/dashboard'),
  getAuditPage: async ({ first, last, sort, filter }) => {
    const f = auditFilterParam(filter);
    const res = await httpClient(`${API_URL}/audit/events?range=${encodeURIComponent(JSON.stringify([first, last]))}&sort=${encodeURIComponent(JSON.stringify(sort))}&filter=${f}`);
    const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
    return { events: res.json as AuditEvent[], total: Number.isNaN(total) ? (res.json as AuditEvent[]).length : total };
  },
  exportAudit: ({ format, sort, filter }) =>
    fetchBlob(`${API_URL}/audit/events/export?format=${format}&sort=${encodeURIComponent(JSON.stringify(sort))}&filter=${auditFilterParam(filter)}`),
  verifyAudit: () => call('GET', '/audit/verify'),

  revokeInvitation: (iid) => post(`/invitations/${id(iid)}/revoke`),
  manageUser: (uid, action) => post(`/users/${id(uid)}/${action}`),
  resetTwoFactor: (uid) => post(`/users/${id(uid)}/reset-two-factor`),
  // public calls carry no bearer token (and are never retried after a refresh)
  lookupInvitation: (token) => call('POST', '/invitations/lookup', { token }, null),
  acceptInvitation: (input) => call('POST', '/invitations/accept', input, null),

  submitProfile: (oid, profile) => post(`/organizations/${id(oid)}/submit`, profile),
  approveOrganization: (oid, profileRevision) => post(`/organizations/${id(oid)}/approve`, { profileRevision }),
  getOrganizationImpact: (oid) => call('GET', `/organizations/${id(oid)}/impact`),
  rejectOrganization: (oid, reason) => post(`/organizations/${id(oid)}/reject`, { reason }),
  // a freeze (no revocation) has no revocation reason to send
  suspendOrganization: (oid, { reason, revokeCertificates, revocationReason }) =>
    post(`/organizations/${id(oid)}/suspend`, { reason, revokeCertificates, ...(revokeCertificates && revocationReason ? { revocationReason } : {}) }),
  reinstateOrganization: (oid) => post(`/organizations/${id(oid)}/reinstate`),

  setWebhook: (oid, url) => call('PUT', `/organizations/${id(oid)}/webhook`, { url }),
  removeWebhook: async (oid) => {
    await call('DELETE', `/organizations/${id(oid)}/webhook`);
  },

  getEndpointChecks: (oid) => call('GET', `/organizations/${id(oid)}/endpoint-checks`),
  startEndpointCheck: (oid, uri) => post(`/organizations/${id(oid)}/endpoint-checks`, { uri }),
  runEndpointCheck: (oid, uri) => post(`/organizations/${id(oid)}/endpoint-checks/run`, { uri }),

  approveRequest: (rid) => post(`/certificate-requests/${id(rid)}/approve`),
  rejectRequest: (rid, reason) => post(`/certificate-requests/${id(rid)}/reject`, { reason }),
  cancelRequest: (rid) => post(`/certificate-requests/${id(rid)}/cancel`),

  setExchangePurposes: (cid, input) => call('PUT', `/communities/${id(cid)}/exchange-purposes`, input),
  createCommunity: (body) => post('/communities', body),
  updateCommunityPolicy: (cid, change) => call('PUT', `/communities/${id(cid)}/policy`, change),
  getCommunityHierarchy: (cid) => call('GET', `/communities/${id(cid)}/hierarchy`),
  generateCrl: (caId) => post(`/cas/${id(caId)}/crl`),
  getActivityReport: (days) => call('GET', `/reports/activity?days=${days}`),
  getCrlReport: (days) => call('GET', `/reports/crls?days=${days}`),
  getExpiryReport: (weeks) => call('GET', `/reports/expiring?weeks=${weeks}`),
  getOrganizationConformance: (oid) => call('GET', `/organizations/${id(oid)}/conformance`),
  checkConformanceEndpoint: (eid) => post(`/conformance/endpoints/${id(eid)}/check`),

  retireCa: (cid, input) => post(`/cas/${id(cid)}/retire`, input),
  getCaImpact: (cid) => call('GET', `/cas/${id(cid)}/impact`),
  compromiseCa: (cid, reason) => post(`/cas/${id(cid)}/compromise`, { reason }),

  subscribeToRevocations: (input) => post('/revocation-subscriptions', input),
  pauseSubscription: (sid) => post(`/revocation-subscriptions/${id(sid)}/pause`),
  resumeSubscription: (sid) => post(`/revocation-subscriptions/${id(sid)}/resume`),
  rotateSubscriptionSecret: (sid) => post(`/revocation-subscriptions/${id(sid)}/rotate-secret`),
  cancelSubscription: async (sid) => {
    await call('DELETE', `/revocation-subscriptions/${id(sid)}`);
  },
  getTestKit: async (cid) => {
    try {
      return await call<TestKitView>('GET', `/communities/${id(cid)}/test-kit`);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return null;
      throw err;
    }
  },
  generateTestKit: (cid) => post(`/communities/${id(cid)}/test-kit`),

  getQueues: () => call('GET', '/queues'),
  getFailedJobs: (queue, count = 25) => call('GET', `/queues/${id(queue)}/failed?range=${encodeURIComponent(JSON.stringify([0, count - 1]))}`),
  retryJob: async (queue, jobId) => {
    await post(`/queues/${id(queue)}/jobs/${id(jobId)}/retry`);
  },
};
