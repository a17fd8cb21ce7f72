import { randomUUID } from 'node:crypto';
import { isLeafProfile, LEAF_PROFILES, uriFragment, type ExchangePurpose, type KeyType, type LeafProfile } from '@anchorage/contracts';
import { DbConflictError, type CaRecord, type CertificateRecord, type CommunityRecord, type IssuanceOrganization } from '@anchorage/db';
import {
  buildLeafTbs, describePublicKey, encodeName, isPkiError, leafProfileChecks, lintTbsCertificate, nameToString,
  newSerial, signatureAlgorithmFor, validityWithin, type CheckedSanUris,
} from '@anchorage/pki';
import type { SignatureAuditEvent } from '@anchorage/signer';
import { prerecordedSignatureAudit, signatureAuditInput, type PrerecordedSignatureAudit } from './audit';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { assertCaKeyOpens, sha256Hex, signWithCaAudit } from './sign';

// The leaf issuance pipeline shared by every way a subscriber's key reaches the platform (a CSR, or
// a key the platform generated): key policy, SAN rules, prepare, lint, record the intent, sign,
// store (architecture habit 1). The front ends only obtain the public key.

/** The issued certificate and the CA that signed it. */
export interface IssuedCertificate {
  certificate: CertificateRecord;
  issuer: CaRecord;
  /** False when an earlier request with the same request id had already issued it. */
  created: boolean;
}

/** The organization, its community and the community's active issuing CA. */
export interface IssuanceContext {
  org: IssuanceOrganization;
  community: CommunityRecord;
  issuer: CaRecord;
}

/** A request once the subscriber's public key is known. */
export interface KeyIssuanceRequest {
  profile: LeafProfile;
  spkiDer: Uint8Array;
  /** SAN URIs to certify. */
  sanUris: string[];
  validityDays?: number;
  /** `<actor>:<requestId>` or null without a request id. */
  requestKey: string | null;
  /** Fingerprint of the request, so a reused request id for something else is refused. */
  requestFingerprint: string;
  /** Where the key came from, recorded with the intent (e.g. `{ csrSha256 }`). */
  keySource: Record<string, unknown>;
}

/** Rethrows a PkiError as the DomainError with the same code; anything else unchanged. */
export function pkiToDomain(err: unknown): never {
  if (isPkiError(err)) throw new DomainError(err.code, err.message, err.details ? { details: err.details } : {});
  throw err;
}

/** Checks what every issuance request carries; returns the profile and the idempotency key. */
export function validateIssuanceBasics(input: { profile: string; requestId?: string; validityDays?: number }, actor: Actor): { profile: LeafProfile; requestKey: string | null } {
  if (!isLeafProfile(input.profile)) throw new DomainError('validation', `profile must be one of ${LEAF_PROFILES.join(', ')} (got "${input.profile}")`);
  if (input.requestId !== undefined && !/^[A-Za-z0-9._:-]{1,128}$/.test(input.requestId)) {
    throw new DomainError('validation', 'requestId must be 1 to 128 characters of letters, digits, ".", "_", ":" or "-"');
  }
  if (input.validityDays !== undefined && (!Number.isInteger(input.validityDays) || input.validityDays < 1)) {
    throw new DomainError('validation', 'validityDays must be a positive whole number');
  }
  return { profile: input.profile, requestKey: input.requestId ? `${actor.id}:${input.requestId}` : null };
}

/** The active issuing CA of a community. */
export async function activeIssuingCa(deps: AuthorityDeps, communityId: string): Promise<CaRecord> {
  const ca = (await deps.db.cas.ofCommunity(communityId)).find((c) => c.role === 'issuing' && c.status === 'active');
  if (!ca) throw new DomainError('ca-not-active', `community ${communityId} has no active issuing CA`);
  return ca;
}

/**
 * Loads the organization, its community and the issuing CA that will sign (one query, or the
 * database's short-lived context cache unless `fresh`; the SAN bindings and the issuer's status are
 * checked again when the intent is recorded).
 */
export async function loadIssuanceContext(deps: AuthorityDeps, organizationId: string, opts: { fresh?: boolean } = {}): Promise<IssuanceContext> {
  const found = await deps.db.certificates.issuanceContext(organizationId, opts);
  if (!found) throw notFound('organization', organizationId);
  if (found.org.status !== 'active') {
    const why = found.org.statusReason ? ` (${found.org.statusReason})` : '';
    throw new DomainError('organization-inactive', `organization ${found.org.id} is ${found.org.status}${why}: certificates are issued only to active organizations`);
  }
  if (!found.issuer) throw new DomainError('ca-not-active', `community ${found.community.id} has no active issuing CA`);
  return { org: found.org, community: found.community, issuer: found.issuer };
}

/** Refusals that a context read up to a second ago could cause and a fresh one might not. */
const CONTEXT_DEPENDENT_REFUSALS = new Set(['san-invalid', 'key-policy', 'ca-not-active', 'organization-inactive']);

/**
 * Runs `issue` with the organization's issuance context, possibly a cached one; a refusal that a
 * stale context could explain (a SAN just bound, an issuing CA just rotated, in another process) is
 * retried once with a fresh read, so only current data ever refuses a request. Refusals happen before
 * anything is written, so the retry starts clean.
 */
export async function withIssuanceContext<T>(deps: AuthorityDeps, organizationId: string, issue: (ctx: IssuanceContext) => Promise<T>): Promise<T> {
  try {
    return await issue(await loadIssuanceContext(deps, organizationId));
  } catch (err) {
    if (!(err instanceof DomainError) || !CONTEXT_DEPENDENT_REFUSALS.has(err.code)) throw err;
    return issue(await loadIssuanceContext(deps, organizationId, { fresh: true }));
  }
}

/** The signature.before event of a leaf: what the signer will be asked to sign, with which key. */
function leafSignatureEvent(issuer: CaRecord, certificateId: string, tbs: Uint8Array): SignatureAuditEvent {
  return { keyRef: issuer.keyRef, purpose: 'certificate', subject: `certificate:${certificateId}`, algorithm: signatureAlgorithmFor(issuer.keyType), tbsSha256: sha256Hex(tbs) };
}

/**
 * The certificate already recorded under `requestKey`, or null. A repeat of the same request gets
 * it back (an intent that never got signed is signed now); another request under the key is refused.
 */
export async function findRepeat(deps: AuthorityDeps, requestKey: string | null, requestFingerprint: string, actor: Actor): Promise<IssuedCertificate | null> {
  if (!requestKey) return null;
  const existing = await deps.db.certificates.findByRequestKey(requestKey);
  if (!existing) return null;
  if (existing.requestFingerprint !== requestFingerprint) {
    throw new DomainError('idempotency-mismatch', 'this requestId was already used for a different request; use a new requestId', { certificateId: existing.id });
  }
  const issuer = await deps.db.cas.find(existing.issuerId);
  if (!issuer) throw notFound('CA', existing.issuerId);
  if (existing.status !== 'pending') return { certificate: existing, issuer, created: false };
  // an earlier attempt recorded the intent but did not finish: sign the recorded TBS now
  return { certificate: await signPending(deps, existing, issuer, actor), issuer, created: false };
}

/**
 * Where a community has a catalog of exchange purposes, a SAN URI's fragment must be one of its
 * active codes (a retired or unknown purpose would register a client no relying server expects).
 */
export function exchangePurposeProblem(uri: string, catalog: readonly ExchangePurpose[]): string | null {
  const fragment = uriFragment(uri);
  if (fragment === null || catalog.length === 0) return null;
  const known = catalog.find((p) => p.code === fragment);
  if (known?.active) return null;
  const active = catalog.filter((p) => p.active).map((p) => p.code);
  return `SAN URI ${uri}: "#${fragment}" is ${known ? 'a retired' : 'not an'} exchange purpose of this community (active: ${active.join(', ') || 'none'})`;
}

/**
 * The one SAN check of an issuance: each requested URI against the profile's SAN rules and the
 * organization's bindings, every problem reported at once. The leaf template and the lint take the
 * checked list as it is (they check only a plain list, or confirm the TBS carries exactly these URIs).
 */
function checkSans(profile: LeafProfile, requested: string[], org: IssuanceOrganization, catalog: readonly ExchangePurpose[]): CheckedSanUris {
  const bound = (uri: string) => (org.sanUris.includes(uri) ? null : `SAN URI ${uri} is not registered to organization "${org.name}"; bind it to the organization first`)
    ?? exchangePurposeProblem(uri, catalog);
  const review = leafProfileChecks(profile).reviewSanUris(requested, bound);
  if (review.checked) return review.checked;
  if (requested.length === 0) throw new DomainError('san-invalid', 'no SAN URI: give sanUris or put a URI SAN in the CSR (UDAP needs one, equal to the holder\'s iss)');
  const errors = review.problems;
  throw new DomainError('san-invalid', errors.join('; '), { errors: errors.map((message) => ({ field: 'sanUris', message })) });
}

/**
 * The community's key policy and the profile's key and SAN rules for a request (what issuance checks
 * before it prepares anything): the key type, and the distinct SAN URIs, all bound to the organization
 * (`checkedSans` is the same list as the leaf template and the lint take it).
 */
export function checkKeyAndSans(ctx: IssuanceContext, profile: LeafProfile, spkiDer: Uint8Array, requested: string[]): { keyType: KeyType; sanUris: string[]; checkedSans: CheckedSanUris } {
  let keyType: KeyType;
  try {
    keyType = leafProfileChecks(profile).checkKey(describePublicKey(spkiDer), ctx.community.allowedLeafKeyTypes);
  } catch (err) {
    pkiToDomain(err);
  }
  const checkedSans = checkSans(profile, requested, ctx.org, ctx.community.exchangePurposes);
  return { keyType, sanUris: [...checkedSans.uris], checkedSans };
}

/**
 * Issues a leaf for a known public key: enforce the community's key policy and SAN rules, prepare
 * the TBS, lint it against the profile, record the intent (serial, profile, requester), sign
 * (audited) and store. Any refusal leaves nothing behind.
 */
export async function issueForKey(deps: AuthorityDeps, ctx: IssuanceContext, req: KeyIssuanceRequest, actor: Actor): Promise<IssuedCertificate> {
  const { org, community, issuer } = ctx;
  const { profile } = req;
  const { keyType, sanUris, checkedSans } = checkKeyAndSans(ctx, profile, req.spkiDer, req.sanUris);
  const now = deps.clock.now();
  let validity: { notBefore: Date; notAfter: Date };
  try {
    validity = validityWithin({
      requestedDays: req.validityDays ?? community.maxLeafValidityDays, maxDays: community.maxLeafValidityDays, now,
      issuerNotAfter: issuer.notAfter!, issuerNotBefore: issuer.notBefore ?? undefined,
    });
  } catch (err) {
    pkiToDomain(err);
  }
  const subjectDer = encodeName({ commonName: org.name.slice(0, 64), organization: org.name.slice(0, 64) });
  const serial = newSerial(deps.random(16));
  const tbs = buildLeafTbs({
    profile, serial, subject: subjectDer, issuer: issuer.subjectDer, spkiDer: req.spkiDer, issuerSpkiDer: issuer.spkiDer,
    notBefore: validity.notBefore, notAfter: validity.notAfter, signatureAlgorithm: signatureAlgorithmFor(issuer.keyType),
    sanUris: checkedSans, crlUrl: deps.urls.crl(issuer.id), caIssuersUrl: deps.urls.caCertificate(issuer.id),
  });
  const problems = lintTbsCertificate(tbs, profile, { issuerNotBefore: issuer.notBefore ?? undefined, issuerNotAfter: issuer.notAfter ?? undefined, checkedSanUris: checkedSans });
  if (problems.length) throw new DomainError('lint-failed', `certificate failed the profile lint: ${problems.join('; ')}`, { problems });
  // a key that does not open (another instance's CA under a different key-encryption key, a token
  // gone) refuses here, before an intent is recorded that could never be signed
  await assertCaKeyOpens(deps, issuer);

  // Habits 1 and 2: the intent and the signature.before event commit together, before the signer
  // is called; the signer's own audit.before then only checks it signs exactly what was recorded.
  const id = randomUUID();
  const signatureEvent = leafSignatureEvent(issuer, id, tbs);
  let pending: CertificateRecord;
  try {
    pending = await deps.db.certificates.recordIntent({
      id, issuerId: issuer.id, organizationId: org.id, serial, profile, subject: nameToString(subjectDer),
      sanUris, keyType, notBefore: validity.notBefore, notAfter: validity.notAfter, tbsDer: tbs,
      requestKey: req.requestKey, requestFingerprint: req.requestFingerprint, requestedBy: actor.id,
    }, community.id, [
      {
        at: now, actor: actor.id, action: 'certificate.intent', subjectType: 'certificate', subjectId: id,
        data: { issuerId: issuer.id, serial: Buffer.from(serial).toString('hex'), profile, sanUris, organizationId: org.id, ...req.keySource },
      },
      signatureAuditInput('signature.before', signatureEvent, deps.clock, actor),
    ]);
  } catch (err) {
    // a SAN checked against a stale read of the bindings: refuse as if it had been checked then
    if (err instanceof DbConflictError && err.constraint === 'issuer_inactive') {
      throw new DomainError('ca-not-active', `CA ${issuer.id} of community ${community.id} is no longer an active issuing CA`);
    }
    if (err instanceof DbConflictError && err.constraint === 'organization_inactive') {
      throw new DomainError('organization-inactive', `organization ${org.id} is no longer active: certificates are issued only to active organizations`);
    }
    if (err instanceof DbConflictError && err.constraint === 'san_binding') {
      throw new DomainError('san-invalid', `a SAN URI of the request is not registered to organization "${org.name}"; bind it to the organization first`, { errors: [{ field: 'sanUris', message: err.message }] });
    }
    // the same request id raced us: answer like a repeat of the request
    if (err instanceof DbConflictError) {
      const repeat = await findRepeat(deps, req.requestKey, req.requestFingerprint, actor);
      if (repeat) return repeat;
    }
    throw err;
  }
  const audit = prerecordedSignatureAudit(signatureEvent, deps.clock, actor);
  const certificate = await signPending(deps, pending, issuer, actor, audit);
  // a server certificate's SAN URIs are the community directory's endpoints
  if (profile === 'udap-server') deps.repository.communityChanged(community.id, { endpoints: { organizationId: org.id, uris: sanUris } });
  return { certificate, issuer, created: true };
}

/**
 * Signs a pending certificate and stores it with its signature.after and certificate.issued events
 * in one transaction. Without `audit` (an earlier attempt's intent being finished), this signature's
 * own signature.before is committed first.
 */
async function signPending(deps: AuthorityDeps, pending: CertificateRecord, issuer: CaRecord, actor: Actor, audit?: PrerecordedSignatureAudit): Promise<CertificateRecord> {
  if (!audit) {
    const event = leafSignatureEvent(issuer, pending.id, pending.tbsDer);
    await deps.db.audit.appendMany([signatureAuditInput('signature.before', event, deps.clock, actor)]);
    audit = prerecordedSignatureAudit(event, deps.clock, actor);
  }
  const der = await signWithCaAudit(deps, issuer, pending.tbsDer, { purpose: 'certificate', subject: `certificate:${pending.id}`, profile: pending.profile }, audit);
  try {
    const issuedAt = deps.clock.now();
    return await deps.db.certificates.complete(pending, der, issuedAt, [
      audit.afterEvent(),
      {
        at: issuedAt, actor: actor.id, action: 'certificate.issued', subjectType: 'certificate', subjectId: pending.id,
        data: { issuerId: issuer.id, serial: Buffer.from(pending.serial).toString('hex'), sha256: sha256Hex(der) },
      },
    ]);
  } catch (err) {
    const now = await deps.db.certificates.find(pending.id);
    if (now && now.status !== 'pending') return now; // a concurrent retry completed it
    throw err;
  }
}
