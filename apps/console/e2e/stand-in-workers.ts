// The stand-in API's worker-side routes: bulk revocations (whose progress moves one step each time one is
// read), the suspension's bulk revocation, retiring an issuing CA or declaring it compromised, and the
// queue page (counts, failed jobs, retry; a 503 queue-unavailable problem while "Redis is down").
import { BULK_REASONS, userActorId, type AffectedCertificates, type BulkRevocationView, type CaImpactView, type CaView, type EndedCaView, type OrganizationView, type RevocationReasonName, type UserView } from '@anchorage/contracts';
import * as fx from './fixtures';
import { forbidden, list, one, problem, type Reply } from './stand-in-http';

/** What the stand-in API asks of the worker side, and the test's controls. */
export interface Workers {
  /** Every CA (the fixture community's, and the lapsed one), mutable: retiring changes them. */
  cas: CaView[];
  /** Checks the suspension's revocation options, then `suspend`s `o` and answers with the bulk revocation it started. */
  suspension(o: OrganizationView, body: Record<string, unknown> | undefined, by: string, suspend: () => Reply): Reply;
  /** Answers a worker-side route, or null when `res` is not one. */
  route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null;
  /** Makes the queue routes answer 503 queue-unavailable (Redis down), or answer again. */
  setQueuesAvailable(available: boolean): void;
  /** Makes the fixture root offline: ending its issuing CA answers with a notice for the root's operator. */
  setRootOffline(offline: boolean): void;
}

/**
 * What a bulk revocation of the fixture certificates `keep` picks would revoke: live (issued, not marked
 * expired by the expiry scan: the fixture's dates are fixed), on hold, and all unrevoked ones.
 */
export function affectedCertificates(keep: (c: (typeof fx.certificates)[number]) => boolean): AffectedCertificates {
  const picked = fx.certificates.filter((c) => (c.status === 'issued' || c.status === 'on-hold') && keep(c));
  return {
    live: picked.filter((c) => c.status === 'issued' && c.expiredAt === null).length,
    onHold: picked.filter((c) => c.status === 'on-hold' && c.expiredAt === null).length,
    toRevoke: picked.length,
  };
}

const SORTABLE = ['createdAt', 'status', 'finishedAt', 'id'];

/** The worker side's state, fresh for one stand-in. */
export function startWorkers(): Workers {
  const cas: CaView[] = [...fx.cas, fx.lapsedCa].map((c) => ({ ...c }));
  const bulks: BulkRevocationView[] = fx.bulkRevocations.map((b) => ({ ...b }));
  const queues = structuredClone(fx.queues);
  const failed = structuredClone(fx.failedJobs);
  /** The states a started bulk revocation still goes through, one per GET of it. */
  const steps = new Map<string, Partial<BulkRevocationView>[]>();
  let queuesAvailable = true;
  let rootOffline = false;
  let counter = 0;

  const start = (extra: Partial<BulkRevocationView>, live: number, by: string): BulkRevocationView => {
    const at = () => new Date().toISOString();
    const b: BulkRevocationView = {
      ...fx.bulkRevocations[0], id: `99999999-1111-4111-8111-${String(++counter).padStart(12, '0')}`, communityId: fx.ids.community, organizationId: null, caId: null,
      status: 'queued', total: null, revoked: 0, batches: 0, crlNumbers: {}, requestedBy: by, createdAt: at(), startedAt: null, finishedAt: null, lastError: null, ...extra,
    };
    bulks.unshift(b);
    steps.set(b.id, [
      ...Array.from({ length: live }, (_, n) => ({ status: 'running' as const, total: live, revoked: n, batches: n, startedAt: b.createdAt })),
      { status: 'completed', total: live, revoked: live, batches: live, crlNumbers: { [fx.ids.issuingCa]: '8' }, finishedAt: at() },
    ]);
    return b;
  };
  const liveCertificates = (keep: (c: (typeof fx.certificates)[number]) => boolean) => fx.certificates.filter((c) => (c.status === 'issued' || c.status === 'on-hold') && keep(c)).length;

  function suspension(o: OrganizationView, body: Record<string, unknown> | undefined, by: string, suspend: () => Reply): Reply {
    const revoke = body?.revokeCertificates ?? true;
    const reason = (body?.revocationReason ?? 'privilegeWithdrawn') as RevocationReasonName;
    if (typeof revoke !== 'boolean') return problem(400, 'Bad Request', 'revokeCertificates must be true or false', 'validation');
    if (revoke && !BULK_REASONS.includes(reason)) return problem(400, 'Bad Request', `revocationReason must be one of ${BULK_REASONS.join(', ')}`, 'validation');
    const moved = suspend();
    if (moved.status !== 200) return moved;
    const bulkRevocation = revoke ? start({ organizationId: o.id, reason, cause: 'organization-suspended' }, liveCertificates((c) => c.organizationId === o.id), by) : null;
    return { status: 200, body: { ...o, bulkRevocation } };
  }

  function endCa(ca: CaView, as: 'retired' | 'compromised', body: Record<string, unknown> | undefined, by: string): Reply {
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    const revocationReason = as === 'compromised' ? 'cACompromise' : String(body?.revocationReason ?? 'cessationOfOperation');
    if (!reason) return problem(400, 'Bad Request', 'reason is required (1 to 1000 characters)', 'validation');
    if (revocationReason !== 'cACompromise' && revocationReason !== 'cessationOfOperation' && revocationReason !== 'superseded') {
      return problem(400, 'Bad Request', 'revocationReason must be cessationOfOperation or superseded', 'validation');
    }
    const allowed = as === 'retired' ? ['active'] : ['active', 'retired'];
    if (ca.role !== 'issuing' || !allowed.includes(ca.status)) {
      return problem(409, 'Conflict', `CA ${ca.id} is a ${ca.status} ${ca.role} CA; this needs an ${allowed.join(' or ')} issuing CA`, 'ca-not-active');
    }
    Object.assign(ca, { status: as, revokedAt: ca.revokedAt ?? new Date().toISOString() });
    const bulkRevocation = start({ caId: ca.id, communityId: ca.communityId, reason: revocationReason, cause: as === 'retired' ? 'ca-retired' : 'ca-compromised' },
      liveCertificates((c) => c.issuerId === ca.id), by);
    const root = cas.find((c) => c.communityId === ca.communityId && c.role === 'root')!;
    const view: EndedCaView = {
      ca, bulkRevocation, parentCrlNumber: rootOffline ? null : '13',
      notice: rootOffline ? `the root ${root.subject} is offline: its operator must revoke this CA's certificate (serial 5a17) on the root's CRL` : null,
    };
    return { status: 200, body: view };
  }

  function queueRoute(method: string, name: string | undefined, p: string[], query: URLSearchParams, user: UserView): Reply {
    if (user.role === 'member-admin') return forbidden(user.role);
    if (!queuesAvailable) {
      return problem(503, 'Service Unavailable', name ? 'cannot read the failed jobs: Redis is unreachable (connect ECONNREFUSED 127.0.0.1:6379)' : fx.QUEUE_UNAVAILABLE_DETAIL, 'queue-unavailable');
    }
    if (method === 'GET' && !name) return { status: 200, body: queues };
    const q = queues.queues.find((x) => x.name === name);
    if (!q) return problem(404, 'Not Found', `no queue named ${name}`, 'not-found');
    if (method === 'GET' && p[2] === 'failed') return list('failed-jobs', failed.filter((j) => j.queue === name), query, () => true);
    if (method === 'POST' && p[2] === 'jobs' && p[4] === 'retry') {
      if (user.role !== 'operator') return forbidden(user.role);
      const at = failed.findIndex((j) => j.queue === name && j.id === p[3]);
      if (at < 0) return problem(404, 'Not Found', `no failed job ${p[3]} in ${name}`, 'not-found');
      failed.splice(at, 1);
      q.counts.failed -= 1;
      q.counts.waiting += 1;
      return { status: 204 };
    }
    return problem(404, 'Not Found', `no route for ${method} /queues/${p.slice(1).join('/')}`);
  }

  function route(method: string, p: string[], query: URLSearchParams, body: Record<string, unknown> | undefined, user: UserView): Reply | null {
    const [res, id, verb] = p;
    const orgScope = user.role === 'member-admin' ? user.organizationId : undefined;
    if (res === 'queues') return queueRoute(method, id, p, query, user);
    if (res === 'bulk-revocations' && method === 'GET') {
      const visible = bulks.filter((b) => orgScope === undefined || (b.organizationId !== null && b.organizationId === orgScope));
      if (id) {
        const next = visible.some((b) => b.id === id) ? steps.get(id)?.shift() : undefined;
        if (next) Object.assign(bulks.find((b) => b.id === id)!, next);
        return one('bulk revocation', visible, id);
      }
      const [field] = JSON.parse(query.get('sort') ?? '["id","DESC"]') as [string, string];
      if (!SORTABLE.includes(field)) return problem(400, 'Bad Request', `cannot sort by ${field}; sort by one of: createdAt, status, finishedAt`);
      return list('bulk-revocations', visible, query, (b, f) =>
        (!f.organizationId || b.organizationId === f.organizationId) && (!f.caId || b.caId === f.caId) && (!f.status || b.status === f.status));
    }
    if (res === 'cas' && method === 'GET' && verb === 'impact') {
      if (user.role === 'member-admin') return forbidden(user.role);
      const ca = cas.find((c) => c.id === id);
      if (!ca) return problem(404, 'Not Found', `CA ${id} not found`, 'not-found');
      const parent = ca.role === 'issuing' ? cas.find((c) => c.role === 'root' && c.communityId === ca.communityId) : undefined;
      const view: CaImpactView = {
        caId: ca.id, subject: ca.subject, role: ca.role, status: ca.status, at: new Date().toISOString(), certificates: affectedCertificates((c) => c.issuerId === ca.id),
        parent: parent ? { id: parent.id, subject: parent.subject, offline: rootOffline } : null, revokedOnParentCrl: parent !== undefined && !rootOffline,
      };
      return { status: 200, body: view };
    }
    if (res === 'cas' && method === 'POST' && (verb === 'retire' || verb === 'compromise')) {
      if (user.role !== 'operator') return forbidden(user.role);
      const ca = cas.find((c) => c.id === id);
      return ca ? endCa(ca, verb === 'retire' ? 'retired' : 'compromised', body, userActorId(user.email, user.id)) : problem(404, 'Not Found', `CA ${id} not found`, 'not-found');
    }
    return null;
  }

  return {
    cas, suspension, route,
    setQueuesAvailable: (available) => {
      queuesAvailable = available;
    },
    setRootOffline: (offline) => {
      rootOffline = offline;
    },
  };
}
