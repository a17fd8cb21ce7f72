import { randomUUID } from 'node:crypto';
import { requiresTwoFactor, type CreatedUserView, type UserRole } from '@anchorage/contracts';
import { DbConflictError } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from './keys';
import { checkPasswordPolicy, hashPassword } from './passwords';
import { issueRecoveryCodes } from './recovery-codes';
import { newTotpSecret, otpauthUri } from './totp';
import { userView } from './user-view';

/** A new user. */
export interface CreateUserInput {
  email: string;
  displayName: string;
  role: UserRole;
  password: string;
  /** Member admins: their organization. */
  organizationId?: string | null;
  /** Operators: 'all', or the communities they run. */
  communities?: 'all' | string[];
}

const ROLES: readonly UserRole[] = ['operator', 'auditor', 'member-admin'];
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

/** Lowercased, trimmed, and plausibly an address (the invitation e-mail will prove it is real). */
export function normalizeEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (!EMAIL.test(e) || e.length > 254) throw new DomainError('validation', 'email must be an e-mail address', { field: 'email' });
  return e;
}

/** Whether `actor` runs every community (an operator API token, or an operator user scoped to all). */
export function runsAllCommunities(actor: Actor): boolean {
  return (actor.role === 'operator' || actor.role === 'system') && actor.communityIds === undefined;
}

/**
 * Creates a user. Operators and auditors see or run communities, so only an operator who runs all of
 * them may create one; a member admin may be created by any operator who runs its organization's
 * community. The roles that require two-factor (TWO_FACTOR_REQUIRED_ROLES) get their TOTP secret here, shown once.
 */
export async function createUser(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>, input: CreateUserInput, actor: Actor): Promise<CreatedUserView> {
  const keys = identityKeys(deps);
  const email = normalizeEmail(input.email);
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 200) throw new DomainError('validation', 'displayName must be 1 to 200 characters', { field: 'displayName' });
  if (!ROLES.includes(input.role)) throw new DomainError('validation', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const password = checkPasswordPolicy(input.password, email);
  let organizationId: string | null = null;
  let allCommunities = false;
  let communityIds: string[] = [];
  if (input.role === 'member-admin') {
    if (typeof input.organizationId !== 'string') throw new DomainError('validation', 'a member admin needs organizationId', { field: 'organizationId' });
    const org = await deps.db.organizations.find(input.organizationId);
    if (!org) throw new DomainError('not-found', `organization ${input.organizationId} not found`);
    if (!runsAllCommunities(actor) && !(actor.communityIds ?? []).includes(org.communityId)) {
      throw new DomainError('forbidden', 'you do not run the community of this organization');
    }
    organizationId = org.id;
  } else {
    if (input.organizationId) throw new DomainError('validation', `a ${input.role} belongs to no organization`, { field: 'organizationId' });
    if (!runsAllCommunities(actor)) throw new DomainError('forbidden', `only an operator of every community may create a ${input.role}`);
    if (input.role === 'operator') {
      const c = input.communities ?? [];
      if (c === 'all') allCommunities = true;
      else {
        if (c.length === 0) {
          throw new DomainError('validation', "an operator needs communities: 'all' or a non-empty list of community ids", { field: 'communities' });
        }
        communityIds = [...new Set(c)];
        for (const id of communityIds) if (!(await deps.db.communities.find(id))) throw new DomainError('not-found', `community ${id} not found`);
      }
    } else if (input.communities !== undefined) {
      throw new DomainError('validation', 'only operators run communities', { field: 'communities' });
    }
  }
  const id = randomUUID();
  const now = deps.clock.now();
  const totpSecret = requiresTwoFactor(input.role) ? newTotpSecret() : null;
  const passwordHash = await hashPassword(password);
  try {
    const user = await deps.db.transaction(async (tx) => {
      const u = await tx.identity.createUser({
        id, email, displayName, role: input.role, organizationId, allCommunities, communityIds, passwordHash,
        totpSecretSealed: totpSecret ? keys.totpBox.seal(totpSecret, id) : null, totpEnabledAt: totpSecret ? now : null,
      });
      await tx.audit.append({
        at: now, actor: actor.id, action: 'user.created', subjectType: 'user', subjectId: id,
        data: { email, role: input.role, organizationId, communities: allCommunities ? 'all' : communityIds, totp: totpSecret !== null },
      });
      return { u, recoveryCodes: totpSecret ? await issueRecoveryCodes(tx, id, now) : [] };
    });
    return {
      ...userView(user.u),
      totpEnrollment: totpSecret ? { secret: totpSecret, otpauthUri: otpauthUri('Anchorage', email, totpSecret), recoveryCodes: user.recoveryCodes } : null,
    };
  } catch (err) {
    if (err instanceof DbConflictError && err.constraint === 'user_email') throw new DomainError('conflict', err.message, { email });
    throw err;
  }
}
