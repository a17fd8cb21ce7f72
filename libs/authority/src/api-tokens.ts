import { createHash, randomUUID } from 'node:crypto';
import { tokenActorId } from '@anchorage/contracts';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError } from './errors';

const PREFIX = 'anc_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates an operator API token; the token itself is returned once and only its hash is stored. */
export async function createApiToken(deps: Pick<AuthorityDeps, 'db' | 'random' | 'clock'>, name: string, actor: Actor): Promise<{ id: string; name: string; token: string }> {
  const clean = (name ?? '').trim();
  if (!clean || clean.length > 100) throw new DomainError('validation', 'token name must be 1 to 100 characters');
  const token = PREFIX + Buffer.from(deps.random(32)).toString('base64url');
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    await tx.apiTokens.create({ id, name: clean, tokenHash: hashToken(token) });
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'api-token.created', subjectType: 'api-token', subjectId: id, data: { name: clean } });
  });
  return { id, name: clean, token };
}

/** Resolves a presented bearer token to the operator it belongs to, or null. */
export async function authenticateApiToken(deps: Pick<AuthorityDeps, 'db' | 'clock'>, token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const t = await deps.db.apiTokens.use(hashToken(token), deps.clock.now());
  return t ? { id: tokenActorId(t.name, t.id), role: 'operator' } : null;
}
