// A certifier whose key the signer process generates and keeps (docs/certifications.md "Who signs"):
// the key is made in the signer (CA key backend, never leaving it), certified by a udap-certifier
// certificate through the usual issuance (key policy, SAN binding, lint, intent, audited signature),
// and named by a platform_certifier row with its audit event. Operators only.
import { createHash, randomUUID } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import type { PlatformCertifierRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { issueForKey, loadIssuanceContext, type IssuedCertificate } from '../issuance';
import { signerToDomain } from '../sign';

/** A platform certifier to create: the organization it certifies for (its SAN URI is bound to it). */
export interface CreatePlatformCertifierInput {
  organizationId: string;
  /** The certifier's iss: an https SAN URI bound to the organization. */
  sanUri: string;
  /** RSA only (certifications are RS256); default RSA-2048. */
  keyType?: KeyType;
  validityDays?: number;
}

/** The certifier and its certificate. */
export interface CreatedPlatformCertifier {
  certifier: PlatformCertifierRecord;
  certificate: IssuedCertificate['certificate'];
}

/** Creates a platform certifier (see the file comment). */
export async function createPlatformCertifier(deps: AuthorityDeps, input: CreatePlatformCertifierInput, actor: Actor): Promise<CreatedPlatformCertifier> {
  if (actor.role !== 'operator' && actor.role !== 'system') throw new DomainError('forbidden', 'only an operator creates a platform certifier');
  const keyType = input.keyType ?? 'RSA-2048';
  if (!keyType.startsWith('RSA-')) throw new DomainError('key-policy', `a certifier key must be RSA: certifications are RS256 (got ${keyType})`);
  if (typeof input.sanUri !== 'string' || !input.sanUri) throw new DomainError('validation', 'sanUri is required: the certifier\'s iss', { errors: [{ field: 'sanUri', message: 'is required' }] });
  const ctx = await loadIssuanceContext(deps, input.organizationId, { fresh: true });
  // the SAN URI is checked by the issuance below too; checking its binding first keeps a refused
  // request from leaving a generated key behind in the signer
  const owners = await deps.db.organizations.sanOwners(ctx.org.communityId, [input.sanUri]);
  if (owners[0]?.organizationId !== ctx.org.id) throw new DomainError('san-invalid', `${input.sanUri} is not bound to organization ${ctx.org.id}`);
  const key = await deps.signer.generateKey(deps.caKeyBackend, keyType, `certifier ${input.sanUri}`).catch(signerToDomain);
  const issued = await issueForKey(deps, ctx, {
    profile: 'udap-certifier', spkiDer: key.spkiDer, sanUris: [input.sanUri], validityDays: input.validityDays, requestKey: null,
    requestFingerprint: createHash('sha256').update(JSON.stringify(['platform-certifier', key.keyRef])).digest('hex'),
    keySource: { keySource: 'signer-generated', keyRef: key.keyRef, keyType },
  }, actor);
  const id = randomUUID();
  const certifier = await deps.db.certifications.createCertifier(
    { id, communityId: ctx.org.communityId, organizationId: ctx.org.id, certificateId: issued.certificate.id, keyRef: key.keyRef, createdBy: actor.id },
    { at: deps.clock.now(), actor: actor.id, action: 'platform-certifier.created', subjectType: 'platform-certifier', subjectId: id,
      data: { communityId: ctx.org.communityId, organizationId: ctx.org.id, certificateId: issued.certificate.id, keyRef: key.keyRef, sanUri: input.sanUri } },
  );
  return { certifier, certificate: issued.certificate };
}
