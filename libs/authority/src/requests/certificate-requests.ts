// Certificate requests: a member admin (or an operator on its behalf) submits a CSR for the
// organization's SAN URIs; everything issuance would check about the CSR (signature, key policy,
// SAN rules and bindings, active organization) is checked at submission, so a bad request is refused
// at once and nothing is stored. An operator approves (the certificate is issued through the same
// pipeline, idempotently under the request's id) or rejects with a reason; the requester may cancel
// while it waits. Each transition is conditional and audited.
import { createHash, randomUUID } from 'node:crypto';
import { LEAF_PROFILE_RULES, type CertificateRequestView } from '@anchorage/contracts';
import { DbConflictError, type CertificateRecord, type CertificateRequestRecord } from '@anchorage/db';
import { parseCsr, toPem } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { recordStateNotice, STATE_NOTICE_AUDIENCE } from '../notices/state-notices';
import { expandExchangePurposes } from './exchange-purpose-uris';
import {
  checkKeyAndSans, findRepeat, issueForKey, loadIssuanceContext, pkiToDomain, validateIssuanceBasics, withIssuanceContext, type IssuedCertificate,
} from '../issuance';

/** What a requester submits. */
export interface SubmitRequestInput {
  organizationId: string;
  profile: string;
  /** PEM or DER PKCS#10. */
  csr: string | Uint8Array;
  /** SAN URIs to certify; defaults to those the CSR requests. */
  sanUris?: string[];
  /** The client's idempotency key: submitting again returns the same request. */
  requestId?: string;
  /** The certificate this request renews (same organization). */
  renewalOf?: string;
  /** The key type the requester expects the CSR to carry (e.g. the browser that generated it); a mismatch is refused. */
  keyType?: string;
  /** Exchange purposes of the community's catalog: each SAN URI becomes one URI per purpose (`uri#code`), bound with the request. */
  exchangePurposes?: string[];
}

/** The API's view of a request. */
export function certificateRequestView(r: CertificateRequestRecord): CertificateRequestView {
  return {
    id: r.id, organizationId: r.organizationId, profile: r.profile, sanUris: r.sanUris, keyType: r.keyType, csrPem: toPem(r.csrDer, 'CERTIFICATE REQUEST'),
    status: r.status, reason: r.reason, requestId: r.clientRequestId, renewalOf: r.renewalOf, requestedBy: r.requestedBy, createdAt: r.createdAt.toISOString(),
    decidedBy: r.decidedBy, decidedAt: r.decidedAt?.toISOString() ?? null, certificateId: r.certificateId,
  };
}

/** Submits a request (idempotent: the same requestId, or the same CSR while the first waits, returns the first). */
export async function submitCertificateRequest(deps: AuthorityDeps, input: SubmitRequestInput, actor: Actor): Promise<{ request: CertificateRequestRecord; created: boolean }> {
  const { profile } = validateIssuanceBasics({ profile: input.profile, requestId: input.requestId }, actor);
  const csr = await parseCsr(input.csr).catch(pkiToDomain);
  const csrSha256 = createHash('sha256').update(csr.der).digest('hex');
  const clientRequestId = input.requestId ?? null;
  const repeat = await deps.db.requests.findRepeat(input.organizationId, clientRequestId, csrSha256);
  if (repeat) {
    if (repeat.csrSha256 !== csrSha256 || repeat.profile !== profile) {
      throw new DomainError('idempotency-mismatch', 'this requestId was already used for a different request; use a new requestId', { requestId: repeat.id });
    }
    return { request: repeat, created: false };
  }
  // fresh: a request must not be refused (or accepted) on a stale view of bindings and status
  const ctx = await loadIssuanceContext(deps, input.organizationId, { fresh: true });
  const purposes = input.exchangePurposes === undefined ? null : expandExchangePurposes(ctx, input.sanUris ?? csr.sanUris, input.exchangePurposes);
  // a CSR that names other SANs than the request is a mix-up (wrong file, wrong key): refuse it
  if (input.sanUris !== undefined && csr.sanUris.length > 0) {
    const asked = new Set([...input.sanUris, ...(purposes?.sanUris ?? [])]);
    const extra = csr.sanUris.filter((u) => !asked.has(u));
    if (extra.length) {
      throw new DomainError('san-invalid', `the CSR asks for ${extra.join(', ')}, which this request does not name; use the CSR made for these SAN URIs`, { errors: [{ field: 'csr', message: 'SAN URIs differ from the request' }] });
    }
  }
  // the purpose URIs not bound yet are checked as the organization's: the request binds them
  const checkCtx = purposes ? { ...ctx, org: { ...ctx.org, sanUris: [...ctx.org.sanUris, ...purposes.toBind] } } : ctx;
  const { keyType, sanUris } = checkKeyAndSans(checkCtx, profile, csr.spkiDer, purposes?.sanUris ?? input.sanUris ?? csr.sanUris);
  if (input.keyType !== undefined && input.keyType !== keyType) {
    throw new DomainError('key-policy', `the CSR carries a ${keyType} key, not the ${String(input.keyType)} key this request names; use the CSR of the intended key`, { errors: [{ field: 'csr', message: 'key type differs from the request' }] });
  }
  if (input.renewalOf !== undefined) {
    // not a UUID: nothing to look up (the edge refuses one; a direct caller gets not-found, not a failed query)
    const old = /^[0-9a-f-]{36}$/i.test(input.renewalOf) ? await deps.db.certificates.find(input.renewalOf) : null;
    if (!old || old.organizationId !== ctx.org.id) throw notFound('certificate', input.renewalOf);
    // a renewal certifies what the certificate certifies, with a new key: the same SAN URIs and profile
    const same = (x: string[], y: string[]) => x.length === y.length && [...x].sort().every((u, i) => u === [...y].sort()[i]);
    if (!same(sanUris, old.sanUris)) {
      throw new DomainError('san-invalid', `a renewal keeps the SAN URIs of the certificate it renews (${old.sanUris.join(', ')}); request a new certificate to certify others`, {
        errors: [{ field: 'sanUris', message: 'differ from the renewed certificate' }],
      });
    }
    if (profile !== old.profile) {
      throw new DomainError('validation', `a renewal keeps the profile of the certificate it renews (${old.profile}); request a new certificate for ${profile}`, {
        errors: [{ field: 'profile', message: 'differs from the renewed certificate' }],
      });
    }
  }
  const now = deps.clock.now();
  try {
    const request = await deps.db.transaction(async (tx) => {
      if (purposes && purposes.toBind.length > 0) {
        await tx.organizations.bindSanUris(ctx.community.id, ctx.org.id, purposes.toBind);
        await tx.audit.append({
          at: now, actor: actor.id, action: 'organization.san-bound', subjectType: 'organization', subjectId: ctx.org.id,
          data: { sanUris: purposes.toBind, exchangePurposes: input.exchangePurposes },
        });
      }
      const r = await tx.requests.create({
        id: randomUUID(), organizationId: ctx.org.id, profile, sanUris, keyType, csrDer: csr.der, csrSha256, clientRequestId,
        renewalOf: input.renewalOf ?? null, requestedBy: actor.id,
      });
      await tx.audit.append({
        at: now, actor: actor.id, action: 'certificate-request.submitted', subjectType: 'certificate-request', subjectId: r.id,
        data: { organizationId: ctx.org.id, profile, sanUris, keyType, csrSha256, renewalOf: r.renewalOf },
      });
      await recordStateNotice(tx, 'certificate-request.submitted', { subjectType: 'certificate-request', subjectId: r.id, organizationId: ctx.org.id, communityId: ctx.community.id });
      return r;
    });
    return { request: await autoApprove(deps, ctx.community.autoApproveVerified, request), created: true };
  } catch (err) {
    if (err instanceof DbConflictError && err.constraint === 'san_binding') throw new DomainError('san-taken', err.message, err.details);
    if (err instanceof DbConflictError) {
      // the same submission raced us: answer like a repeat
      const again = await deps.db.requests.findRepeat(ctx.org.id, clientRequestId, csrSha256);
      if (again) return { request: again, created: false };
    }
    throw err;
  }
}

async function decide(
  deps: AuthorityDeps, r: CertificateRequestRecord, from: CertificateRequestRecord['status'][], to: CertificateRequestRecord['status'], actor: Actor,
  action: string, set: { reason?: string | null; certificateId?: string } = {},
): Promise<void> {
  if (!from.includes(r.status)) {
    throw new DomainError('invalid-transition', `certificate request ${r.id} is ${r.status}; this needs it to be ${from.join(' or ')}`, { status: r.status });
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await tx.requests.transition(r.id, from, to, { ...set, decidedBy: actor.id, decidedAt: now }))) {
      throw new DomainError('invalid-transition', `certificate request ${r.id} changed meanwhile; reload it and try again`);
    }
    const data = { ...(set.reason ? { reason: set.reason } : {}), ...(set.certificateId ? { certificateId: set.certificateId } : {}) };
    await tx.audit.append({ at: now, actor: actor.id, action, subjectType: 'certificate-request', subjectId: r.id, data: { from: r.status, to, ...data } });
    if (STATE_NOTICE_AUDIENCE[action]) {
      const org = (await tx.organizations.find(r.organizationId))!;
      await recordStateNotice(tx, action, { subjectType: 'certificate-request', subjectId: r.id, organizationId: org.id, communityId: org.communityId, data });
    }
  });
}

/**
 * Where the community approves requests whose SAN URIs all passed endpoint control, approves (and
 * issues) one now, as the platform. A refused issuance leaves the request submitted with the reason,
 * for an operator: the submission itself still succeeded.
 */
async function autoApprove(deps: AuthorityDeps, enabled: boolean, request: CertificateRequestRecord): Promise<CertificateRequestRecord> {
  // some profiles are always an operator's decision (a certifier's: LEAF_PROFILE_RULES autoApproval)
  if (!enabled || !LEAF_PROFILE_RULES[request.profile].autoApproval || (await unverifiedSans(deps, request)).length > 0) return request;
  try {
    return (await approveCertificateRequest(deps, request, { id: 'auto-approval', role: 'system' })).request;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return (await deps.db.requests.find(request.id))!;
  }
}

/** The request's SAN URIs whose endpoint control has not passed. */
async function unverifiedSans(deps: AuthorityDeps, r: CertificateRequestRecord): Promise<string[]> {
  const checks = await deps.db.onboarding.listEndpointChecks(r.organizationId);
  const verified = new Set(checks.filter((c) => c.status === 'verified').map((c) => c.uri));
  return r.sanUris.filter((u) => !verified.has(u));
}

/** Issues the certificate of a request, idempotently under the request's id (a retried approval returns the same certificate). */
async function issueForRequest(deps: AuthorityDeps, r: CertificateRequestRecord, actor: Actor): Promise<IssuedCertificate> {
  const csr = await parseCsr(r.csrDer).catch(pkiToDomain);
  const requestKey = `certificate-request:${r.id}`;
  const requestFingerprint = r.csrSha256;
  const repeat = await findRepeat(deps, requestKey, requestFingerprint, actor);
  if (repeat) return repeat;
  return withIssuanceContext(deps, r.organizationId, (ctx) => issueForKey(deps, ctx, {
    profile: r.profile, spkiDer: csr.spkiDer, sanUris: r.sanUris, requestKey, requestFingerprint,
    keySource: { csrSha256: csr.sha256, certificateRequestId: r.id },
  }, actor));
}

/**
 * Approves a waiting request and issues its certificate. If issuance is refused (a SAN no longer
 * bound, the organization suspended meanwhile), the request goes back to submitted with the reason
 * and the refusal is returned; a crash between approval and issuance leaves it approved, and
 * approving again finishes it (same certificate).
 */
export async function approveCertificateRequest(deps: AuthorityDeps, r: CertificateRequestRecord, actor: Actor): Promise<{ request: CertificateRequestRecord; certificate: CertificateRecord }> {
  if (r.status === 'submitted') {
    const org = await deps.db.organizations.find(r.organizationId);
    const community = org ? await deps.db.communities.find(org.communityId) : null;
    if (community?.requireEndpointControl && LEAF_PROFILE_RULES[r.profile].endpointControl) {
      const unverified = await unverifiedSans(deps, r);
      if (unverified.length) {
        throw new DomainError('endpoint-unverified', `the community requires endpoint control for server certificates; not yet verified: ${unverified.join(', ')}`, { unverified });
      }
    }
    await decide(deps, r, ['submitted'], 'approved', actor, 'certificate-request.approved');
  }
  else if (r.status !== 'approved') throw new DomainError('invalid-transition', `certificate request ${r.id} is ${r.status}; only a submitted request can be approved`, { status: r.status });
  let issued: IssuedCertificate;
  try {
    issued = await issueForRequest(deps, r, actor);
  } catch (err) {
    if (err instanceof DomainError) {
      await deps.db.requests.transition(r.id, ['approved'], 'submitted', { reason: `approval could not issue: ${err.message}` });
      await deps.db.audit.append({
        at: deps.clock.now(), actor: actor.id, action: 'certificate-request.issuance-refused', subjectType: 'certificate-request', subjectId: r.id, data: { code: err.code, message: err.message },
      });
    }
    throw err;
  }
  const approved = (await deps.db.requests.find(r.id))!;
  await decide(deps, approved, ['approved'], 'issued', actor, 'certificate-request.issued', { certificateId: issued.certificate.id, reason: null });
  return { request: (await deps.db.requests.find(r.id))!, certificate: issued.certificate };
}

/** Rejects a waiting request with a reason. */
export async function rejectCertificateRequest(deps: AuthorityDeps, r: CertificateRequestRecord, reason: unknown, actor: Actor): Promise<CertificateRequestRecord> {
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (!why || why.length > 1000) throw new DomainError('validation', 'reason is required (1 to 1000 characters)', { errors: [{ field: 'reason', message: 'is required' }] });
  await decide(deps, r, ['submitted'], 'rejected', actor, 'certificate-request.rejected', { reason: why });
  return (await deps.db.requests.find(r.id))!;
}

/** Cancels a waiting request (its requester's organization, or an operator). */
export async function cancelCertificateRequest(deps: AuthorityDeps, r: CertificateRequestRecord, actor: Actor): Promise<CertificateRequestRecord> {
  await decide(deps, r, ['submitted'], 'cancelled', actor, 'certificate-request.cancelled');
  return (await deps.db.requests.find(r.id))!;
}
