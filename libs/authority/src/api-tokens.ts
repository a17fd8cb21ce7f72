import { createHash, randomUUID } from 'node:crypto';
import { tokenActorId, type ApiTokenStatus, type ApiTokenView } from '@anchorage/contracts';
import type { ApiTokenRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';

const PREFIX = 'anc_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Longest lifetime a token may be given (days); a token without one lives until revoked. */
export const MAX_API_TOKEN_DAYS = 1095;

/**
 * Creates an operator API token; the token itself is returned once and only its hash is stored. With
 * `expiresInDays`, it stops authenticating that many days from now.
 */
export async function createApiToken(
  deps: Pick<AuthorityDeps, 'db' | 'random' | 'clock'>, name: string, actor: Actor, opts: { expiresInDays?: number } = {},
): Promise<{ id: string; name: string; token: string; record: ApiTokenRecord }> {
  const clean = (name ?? '').trim();
  if (!clean || clean.length > 100) throw new DomainError('validation', 'token name must be 1 to 100 characters', { errors: [{ field: 'name', message: 'must be 1 to 100 characters' }] });
  const days = opts.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_API_TOKEN_DAYS)) {
    throw new DomainError('validation', `expiresInDays must be a whole number from 1 to ${MAX_API_TOKEN_DAYS}`, { errors: [{ field: 'expiresInDays', message: `must be from 1 to ${MAX_API_TOKEN_DAYS}` }] });
  }
  const now = deps.clock.now();
  const expiresAt = days === undefined ? null : new Date(now.getTime() + days * 86_400_000);
  const token = PREFIX + Buffer.from(deps.random(32)).toString('base64url');
  const id = randomUUID();
  const record = await deps.db.transaction(async (tx) => {
    const r = await tx.apiTokens.create({ id, name: clean, tokenHash: hashToken(token), createdAt: now, expiresAt, createdBy: actor.id });
    await tx.audit.append({ at: now, actor: actor.id, action: 'api-token.created', subjectType: 'api-token', subjectId: id, data: { name: clean, expiresAt: expiresAt?.toISOString() ?? null } });
    return r;
  });
  return { id, name: clean, token, record };
}

/** Where a token stands at `now`. */
export function apiTokenStatus(t: ApiTokenRecord, now: Date): ApiTokenStatus {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt && t.expiresAt <= now ? 'expired' : 'active';
}

/** The API's view of a token (never its secret). */
export function apiTokenView(t: ApiTokenRecord, now: Date): ApiTokenView {
  return {
    id: t.id, name: t.name, status: apiTokenStatus(t, now), createdAt: t.createdAt.toISOString(), createdBy: t.createdBy, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, revokedBy: t.revokedBy,
  };
}

/**
 * Revokes a token: from the next request on it no longer authenticates (every request looks it up).
 * Audited; revoking a revoked token is a conflict, an unknown one not-found.
 */
export async function revokeApiToken(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'apiTokenCache'>, id: string, actor: Actor): Promise<ApiTokenRecord> {
  const now = deps.clock.now();
  const revoked = await deps.db.transaction(async (tx) => {
    const r = await tx.apiTokens.revoke(id, now, actor.id);
    if (r) await tx.audit.append({ at: now, actor: actor.id, action: 'api-token.revoked', subjectType: 'api-token', subjectId: id, data: { name: r.name } });
    return r;
  });
  if (revoked) {
    // this process refuses it from the next request; the others when the trigger's announcement arrives
    deps.apiTokenCache?.clear();
    return revoked;
  }
  const existing = await deps.db.apiTokens.find(id);
  if (!existing) throw notFound('API token', id);
  throw new DomainError('conflict', `API token ${id} ("${existing.name}") was revoked already, at ${existing.revokedAt!.toISOString()}`);
}

/**
 * Resolves a presented bearer token to the operator it belongs to, or null. A token found live moments
 * ago may come from the process's cache (api-token-cache.ts: only while token changes are heard); its
 * expiry is checked on every request.
 */
export async function authenticateApiToken(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'apiTokenCache'>, token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const now = deps.clock.now();
  const cache = deps.apiTokenCache;
  const load = () => deps.db.apiTokens.use(hash, now);
  const t = cache ? await cache.lookup(hash, load) : await load();
  // a cached or shared token's expiry is checked against this request's clock
  if (!t || (t.expiresAt && t.expiresAt <= now)) return null;
  return { id: tokenActorId(t.name, t.id), role: 'operator' };
}
