import { randomUUID } from 'node:crypto';
import { DbConflictError, type OrganizationRecord } from '@anchorage/db';
import { checkSanUri, isPkiError } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';

/** What an operator supplies to admit an organization. */
export interface CreateOrganizationInput {
  communityId: string;
  name: string;
  sanUris?: string[];
}

/** Checks each SAN URI is absolute and canonical; reports every bad one with its canonical form. */
export function validateSanUris(uris: unknown, field = 'sanUris'): string[] {
  if (uris === undefined) return [];
  if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')) throw new DomainError('validation', `${field} must be a list of URIs`);
  if (uris.length > 50) throw new DomainError('validation', `${field}: at most 50 URIs`);
  const errors: { field: string; message: string }[] = [];
  uris.forEach((u: string, i: number) => {
    try {
      checkSanUri(u, { requireHttps: false });
    } catch (err) {
      if (isPkiError(err)) errors.push({ field: `${field}[${i}]`, message: err.message });
      else throw err;
    }
  });
  if (errors.length) throw new DomainError('san-invalid', errors.map((e) => e.message).join('; '), { errors });
  return [...new Set(uris as string[])];
}

/**
 * Admits an organization to a community and binds its SAN URIs to it for good. A URI already
 * bound to another organization of the community is refused (UDAP profile: SAN governance) and
 * nothing is stored.
 */
export async function createOrganization(deps: AuthorityDeps, input: CreateOrganizationInput, actor: Actor): Promise<OrganizationRecord> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new DomainError('validation', 'name must be 1 to 200 characters', { errors: [{ field: 'name', message: 'must be 1 to 200 characters' }] });
  const sanUris = validateSanUris(input.sanUris);
  const community = await deps.db.communities.find(input.communityId);
  if (!community) throw notFound('community', input.communityId);
  try {
    return await deps.db.transaction(async (tx) => {
      const org = await tx.organizations.create({ id: randomUUID(), communityId: community.id, name });
      await tx.organizations.bindSanUris(community.id, org.id, sanUris);
      await tx.audit.append({
        at: deps.clock.now(), actor: actor.id, action: 'organization.created', subjectType: 'organization', subjectId: org.id,
        data: { communityId: community.id, name, sanUris },
      });
      return { ...org, sanUris };
    });
  } catch (err) {
    if (err instanceof DbConflictError && err.constraint === 'san_binding') throw new DomainError('san-taken', err.message, err.details);
    throw err;
  }
}

/** Binds more SAN URIs to an existing organization (same rules as at creation). */
export async function addSanUris(deps: AuthorityDeps, organizationId: string, uris: string[], actor: Actor): Promise<OrganizationRecord> {
  const sanUris = validateSanUris(uris);
  const org = await deps.db.organizations.find(organizationId);
  if (!org) throw notFound('organization', organizationId);
  try {
    await deps.db.transaction(async (tx) => {
      await tx.organizations.bindSanUris(org.communityId, org.id, sanUris);
      await tx.audit.append({
        at: deps.clock.now(), actor: actor.id, action: 'organization.san-bound', subjectType: 'organization', subjectId: org.id, data: { sanUris },
      });
    });
  } catch (err) {
    if (err instanceof DbConflictError && err.constraint === 'san_binding') throw new DomainError('san-taken', err.message, err.details);
    throw err;
  }
  return (await deps.db.organizations.find(organizationId))!;
}
