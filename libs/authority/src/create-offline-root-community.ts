import { randomUUID } from 'node:crypto';
import { buildCsrInfo, nameToString } from '@anchorage/pki';
import { DbConflictError, type CaRecord, type CommunityRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError } from './errors';
import { caSubjects, communityRecordOf, type ValidCommunityInput } from './community-input';
import { sha256Hex, signWithCa } from './sign';

/** A new community whose root stays offline: its issuing CA awaits the external root's certificate. */
export interface CommunityAwaitingRoot {
  community: CommunityRecord;
  /** No root yet: it is stored when the issuing CA's certificate is installed with it. */
  root: null;
  /** Status 'awaiting-certificate', with the PKCS #10 request in `csrDer`. */
  issuing: CaRecord;
}

/**
 * Creates a community whose root CA is kept offline by its operator: the issuing CA's key is
 * generated in the signer, and a PKCS #10 request for it (subject = the issuing CA name, no
 * requested extensions: the root decides them) is signed through the signer, audited like every
 * signature. The CA has no certificate yet, so no CRL and nothing public until
 * installIssuingCaCertificate accepts the certificate the external root signed.
 */
export async function createOfflineRootCommunity(deps: AuthorityDeps, v: ValidCommunityInput, actor: Actor): Promise<CommunityAwaitingRoot> {
  const communityId = randomUUID();
  const issuingId = randomUUID();
  const key = await deps.signer.generateKey(deps.caKeyBackend, v.caKeyType, `issuing-${issuingId}`);
  const subject = caSubjects(v.name).issuing;
  // RFC 2986 §3: the request is signed with the key it asks to certify (proof of possession).
  const info = buildCsrInfo({ subject, spkiDer: key.spkiDer });
  const csrDer = await signWithCa(deps, { keyRef: key.keyRef, keyType: v.caKeyType }, info, { purpose: 'csr', subject: `ca:${issuingId}` }, actor);

  try {
    return await deps.db.transaction(async (tx) => {
      const community = await tx.communities.create(communityRecordOf(communityId, v));
      const issuing = await tx.cas.create({
        id: issuingId, communityId, role: 'issuing', status: 'awaiting-certificate', parentId: null, subjectDer: subject,
        subject: nameToString(subject), keyType: v.caKeyType, keyRef: key.keyRef, spkiDer: key.spkiDer,
        certificateDer: null, csrDer, notBefore: null, notAfter: null,
      });
      await tx.audit.append({
        at: deps.clock.now(), actor: actor.id, action: 'community.created', subjectType: 'community', subjectId: communityId,
        data: {
          uri: v.uri, name: v.name, policy: { ...v.policy }, offlineRoot: true, rootCaId: null, issuingCaId: issuingId,
          caKeyType: v.caKeyType, caKeyBackend: deps.caKeyBackend, csrSha256: sha256Hex(csrDer),
        },
      });
      return { community, root: null, issuing };
    });
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', err.message, err.details);
    throw err;
  }
}
