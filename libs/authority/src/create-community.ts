import { randomUUID } from 'node:crypto';
import {
  buildIssuingCaTbs, buildRootCaTbs, lintTbsCertificate, nameToString, newSerial, signatureAlgorithmFor,
} from '@anchorage/pki';
import type { CaRecord, CommunityRecord } from '@anchorage/db';
import { DbConflictError } from '@anchorage/db';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError } from './errors';
import { caSubjects, communityRecordOf, validateCommunityInput, type CreateCommunityInput } from './community-input';
import { createOfflineRootCommunity, type CommunityAwaitingRoot } from './create-offline-root-community';
import { generateCrl } from './generate-crl';
import { signWithCa } from './sign';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** A new community with its active root and issuing CA. */
export interface CreatedCommunity {
  community: CommunityRecord;
  root: CaRecord;
  issuing: CaRecord;
}

function lintOrThrow(problems: string[], what: string): void {
  if (problems.length) throw new DomainError('lint-failed', `${what} failed the profile lint: ${problems.join('; ')}`, { problems });
}

/**
 * Creates a community with its root CA and issuing CA per the UDAP profile sheet: keys in the
 * signer, certificates prepared, linted and signed (audited), then everything stored in one
 * transaction, then a first CRL for each CA so relying parties can check revocation at once.
 * With `offlineRoot`, creates only the issuing CA, awaiting the external root's certificate.
 */
export function createCommunity(deps: AuthorityDeps, input: CreateCommunityInput & { offlineRoot: true }, actor: Actor): Promise<CommunityAwaitingRoot>;
export function createCommunity(deps: AuthorityDeps, input: CreateCommunityInput & { offlineRoot?: false }, actor: Actor): Promise<CreatedCommunity>;
export function createCommunity(deps: AuthorityDeps, input: CreateCommunityInput, actor: Actor): Promise<CreatedCommunity | CommunityAwaitingRoot>;
export async function createCommunity(deps: AuthorityDeps, input: CreateCommunityInput, actor: Actor): Promise<CreatedCommunity | CommunityAwaitingRoot> {
  const v = validateCommunityInput(input);
  if (v.offlineRoot) return createOfflineRootCommunity(deps, v, actor);
  const now = deps.clock.now();
  const communityId = randomUUID();
  const rootId = randomUUID();
  const issuingId = randomUUID();
  const alg = signatureAlgorithmFor(v.caKeyType);

  const rootKey = await deps.signer.generateKey(deps.caKeyBackend, v.caKeyType, `root-${rootId}`);
  const issuingKey = await deps.signer.generateKey(deps.caKeyBackend, v.caKeyType, `issuing-${issuingId}`);

  const { root: rootSubject, issuing: issuingSubject } = caSubjects(v.name);
  // X.509 times have whole seconds (RFC 5280 §4.1.2.5): decide them at that precision
  const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
  const rootNotBefore = seconds(now.getTime() - 60_000);
  const rootNotAfter = seconds(rootNotBefore.getTime() + v.rootValidityYears * YEAR_MS);
  const issuingNotAfter = seconds(rootNotBefore.getTime() + v.issuingValidityYears * YEAR_MS);

  const rootTbs = buildRootCaTbs({
    serial: newSerial(deps.random(16)), subject: rootSubject, spkiDer: rootKey.spkiDer,
    notBefore: rootNotBefore, notAfter: rootNotAfter, signatureAlgorithm: alg, crlUrl: deps.urls.crl(rootId),
  });
  lintOrThrow(lintTbsCertificate(rootTbs, 'root', {}), 'root CA certificate');
  const issuingTbs = buildIssuingCaTbs({
    serial: newSerial(deps.random(16)), subject: issuingSubject, issuer: rootSubject, spkiDer: issuingKey.spkiDer,
    issuerSpkiDer: rootKey.spkiDer, notBefore: rootNotBefore, notAfter: issuingNotAfter, signatureAlgorithm: alg,
    crlUrl: deps.urls.crl(rootId), caIssuersUrl: deps.urls.caCertificate(rootId),
  });
  lintOrThrow(lintTbsCertificate(issuingTbs, 'issuing', { issuerNotBefore: rootNotBefore, issuerNotAfter: rootNotAfter }), 'issuing CA certificate');

  const rootKeyInfo = { keyRef: rootKey.keyRef, keyType: v.caKeyType };
  const rootDer = await signWithCa(deps, rootKeyInfo, rootTbs, { purpose: 'certificate', subject: `ca:${rootId}`, profile: 'root' }, actor);
  const issuingDer = await signWithCa(deps, rootKeyInfo, issuingTbs, { purpose: 'certificate', subject: `ca:${issuingId}`, profile: 'issuing' }, actor);

  let created: CreatedCommunity;
  try {
    created = await deps.db.transaction(async (tx) => {
      const community = await tx.communities.create(communityRecordOf(communityId, v));
      const common = { communityId, status: 'active' as const, keyType: v.caKeyType, csrDer: null, notBefore: rootNotBefore };
      const root = await tx.cas.create({
        ...common, id: rootId, role: 'root', parentId: null, subjectDer: rootSubject, subject: nameToString(rootSubject),
        keyRef: rootKey.keyRef, spkiDer: rootKey.spkiDer, certificateDer: rootDer, notAfter: rootNotAfter,
      });
      const issuing = await tx.cas.create({
        ...common, id: issuingId, role: 'issuing', parentId: rootId, subjectDer: issuingSubject, subject: nameToString(issuingSubject),
        keyRef: issuingKey.keyRef, spkiDer: issuingKey.spkiDer, certificateDer: issuingDer, notAfter: issuingNotAfter,
      });
      await tx.audit.append({
        at: now, actor: actor.id, action: 'community.created', subjectType: 'community', subjectId: communityId,
        data: { uri: v.uri, name: v.name, policy: { ...v.policy }, rootCaId: rootId, issuingCaId: issuingId, caKeyType: v.caKeyType, caKeyBackend: deps.caKeyBackend },
      });
      return { community, root, issuing };
    });
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', err.message, err.details);
    throw err;
  }
  await generateCrl(deps, rootId, actor);
  await generateCrl(deps, issuingId, actor);
  await deps.repository.refreshCa(created.root.id);
  await deps.repository.refreshCa(created.issuing.id);
  return created;
}
