// What the signed-in user may do, as react-admin permissions and access control (authProvider.canAccess
// hides menu entries and create buttons, and guards the routes). The API enforces all of it; the console
// only leaves out what would be refused (buttons, menus, create forms and revocation reasons).
import { OPERATOR_REASONS, SUBSCRIBER_REASONS, type RevocationReasonName, type UserRole, type UserView } from '@anchorage/contracts';
import { usePermissions } from 'react-admin';

/** The permissions `authProvider.getPermissions` returns. */
export interface ConsolePermissions {
  role: UserRole;
  organizationId: string | null;
  /** An operator's communities: 'all' (also every API token), or the ids it runs. */
  communities: 'all' | string[];
}

/** The permissions of a signed-in user. */
export const permissionsOf = (u: UserView): ConsolePermissions => ({ role: u.role, organizationId: u.organizationId, communities: u.communities });

const READ = ['list', 'show'] as const;

/**
 * What each role may do per resource: react-admin's actions (list, show, create) and the domain verbs.
 * Operators change things (invite, review, approve requests); auditors only read; member admins see
 * their organization (whose profile they submit and whose endpoints they check), its certificate
 * requests (which they make and cancel) and certificates (which they revoke and renew), and their community.
 * Bulk revocations, expiry notices and revocation subscriptions are read by all three (a member admin: its organization's);
 * operators subscribe relying parties and member organizations and manage (pause, resume, rotate the secret of,
 * cancel) every subscription, member admins their organization's;
 * operators and member admins set an organization's webhook; operators end issuing CAs (retire,
 * declare compromised) and retry failed jobs, auditors see the queues. Certifications are read by all
 * three (a member admin: those its organization is a party to); operators define templates, issue them with a
 * platform certifier and record external ones ('issue'), and revoke them, and so do the
 * member admins of the certifier organization (canRevokeCertification).
 */
const RULES: Record<UserRole, Record<string, readonly string[]>> = {
  operator: {
    communities: [...READ, 'create', 'edit-policy', 'hierarchy'],
    organizations: [...READ, 'review', 'endpoint-check', 'submit', 'webhook'],
    invitations: ['list', 'create', 'revoke'],
    'certificate-requests': [...READ, 'create', 'approve', 'cancel'],
    certificates: [...READ, 'revoke', 'release-hold', 'renew'],
    users: [...READ, 'create', 'manage'],
    'bulk-revocations': READ,
    'expiry-notices': ['list'],
    'revocation-subscriptions': ['list', 'subscribe', 'manage'],
    cas: ['retire', 'compromise', 'generate-crl'],
    reports: ['list'],
    queues: ['list', 'retry'],
    certifications: ['list', 'revoke', 'issue'],
    'conformance-endpoints': ['list', 'check'],
  },
  auditor: {
    communities: [...READ, 'hierarchy'], reports: ['list'], organizations: READ, invitations: ['list'], 'certificate-requests': READ, certificates: READ, users: READ, 'bulk-revocations': READ,
    'expiry-notices': ['list'], 'revocation-subscriptions': ['list'], queues: ['list'], certifications: ['list'], 'conformance-endpoints': ['list'],
  },
  'member-admin': {
    communities: ['show'],
    organizations: [...READ, 'submit', 'endpoint-check', 'webhook'],
    'certificate-requests': [...READ, 'create', 'cancel'],
    certificates: [...READ, 'revoke', 'renew'],
    'bulk-revocations': READ,
    'expiry-notices': ['list'],
    certifications: ['list', 'revoke'],
    'revocation-subscriptions': ['list', 'subscribe', 'manage'],
    // its organization's servers, on its organization's page (the community-wide table is not a member's)
    'conformance-endpoints': ['check'],
  },
};

/** Whether `p` may do `action` on `resource` (authProvider.canAccess, and the buttons). */
export const can = (p: ConsolePermissions | null | undefined, resource: string, action: string): boolean =>
  !!p && (RULES[p.role]?.[resource] ?? []).includes(action);

export const isOperator = (p?: ConsolePermissions | null): boolean => p?.role === 'operator';
export const isMemberAdmin = (p?: ConsolePermissions | null): boolean => p?.role === 'member-admin';

/** Creating a community is for operators of every community (and API tokens): the API's rule for POST /communities. */
export const canCreateCommunity = (p?: ConsolePermissions | null): boolean => can(p, 'communities', 'create') && p?.communities === 'all';

/** Operators revoke any certificate they run; member admins their organization's. */
export const canRevoke = (p?: ConsolePermissions | null): boolean => can(p, 'certificates', 'revoke');

/** Only operators release holds (a member admin cannot put a certificate on hold either). */
export const canReleaseHold = (p?: ConsolePermissions | null): boolean => can(p, 'certificates', 'release-hold');

/** Operators decide on organizations (approve, reject, suspend, reinstate). */
export const canReview = (p?: ConsolePermissions | null): boolean => can(p, 'organizations', 'review');

/** Operators approve and reject certificate requests. */
export const canDecideRequests = (p?: ConsolePermissions | null): boolean => can(p, 'certificate-requests', 'approve');

/** Member admins and operators cancel waiting requests. */
export const canCancelRequests = (p?: ConsolePermissions | null): boolean => can(p, 'certificate-requests', 'cancel');

/** Member admins and operators start and run endpoint checks. */
export const canCheckEndpoints = (p?: ConsolePermissions | null): boolean => can(p, 'organizations', 'endpoint-check');

/** The revocation reasons the role may give: RFC 5280 subscriber reasons for member admins. */
export const revocationReasons = (p?: ConsolePermissions | null): readonly RevocationReasonName[] =>
  isOperator(p) ? OPERATOR_REASONS : isMemberAdmin(p) ? SUBSCRIBER_REASONS : [];

/** Only an operator of every community may create operators and auditors; other operators create member admins. */
export const creatableRoles = (p?: ConsolePermissions | null): UserRole[] =>
  !isOperator(p) ? [] : p?.communities === 'all' ? ['operator', 'auditor', 'member-admin'] : ['member-admin'];

/** The audit log: operators of every community and auditors (the API refuses everyone else). */
export const canSeeAudit = (p?: ConsolePermissions | null): boolean =>
  p?.role === 'auditor' || (p?.role === 'operator' && p.communities === 'all');

/** Operators retire issuing CAs and declare them compromised. */
export const canEndCa = (p?: ConsolePermissions | null): boolean => can(p, 'cas', 'retire');

/**
 * Who sets and removes an organization's webhook: operators of its community and the organization's own
 * member admins (auditors only read the URL).
 */
export const canSetWebhook = (p: ConsolePermissions | null | undefined, o: { id: string; communityId: string }): boolean =>
  !!p && can(p, 'organizations', 'webhook') && (isMemberAdmin(p) ? p.organizationId === o.id : p.communities === 'all' || p.communities.includes(o.communityId));

/** Operators revoke certifications; member admins only those their organization signed as the certifier. */
export const canRevokeCertification = (p: ConsolePermissions | null | undefined, c: { certifierOrganizationId: string }): boolean =>
  can(p, 'certifications', 'revoke') && (!isMemberAdmin(p) || p?.organizationId === c.certifierOrganizationId);

/** The queue page: operators and auditors. */
export const canSeeQueues = (p?: ConsolePermissions | null): boolean => can(p, 'queues', 'list');

/** Only operators retry failed jobs. */
export const canRetryJobs = (p?: ConsolePermissions | null): boolean => can(p, 'queues', 'retry');

/** usePermissions, typed; `permissions` is undefined while loading. */
export function useConsolePermissions(): { permissions: ConsolePermissions | undefined; isPending: boolean } {
  const { permissions, isPending } = usePermissions<ConsolePermissions | undefined>();
  return { permissions: permissions ?? undefined, isPending };
}

/** Operators and the organization's member admins check a monitored server now. */
export const canCheckConformance = (p?: ConsolePermissions | null): boolean => can(p, 'conformance-endpoints', 'check');
