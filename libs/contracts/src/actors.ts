// Who did something, as the platform records it (audit events, a bulk revocation's requestedBy, a
// certificate request's requestedBy and decidedBy): an actor id, built and read only here, so a
// client that wants the person behind it asks for the user id, never for the actor id itself.

/** What an actor id names: a signed-in user, an operator API token, or another actor (the platform, setup scripts). */
export type ActorRef =
  | { kind: 'user'; userId: string; email: string }
  | { kind: 'token'; tokenId: string; name: string }
  | { kind: 'other'; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor id of signed-in user `userId` (its e-mail address kept for people reading the audit log). */
export const userActorId = (email: string, userId: string): string => `user:${email}:${userId}`;

/** The actor id of operator API token `tokenId` named `name`. */
export const tokenActorId = (name: string, tokenId: string): string => `token:${name}:${tokenId}`;

/** Reads an actor id; anything that is not a user's or a token's is 'other'. */
export function parseActorId(id: string): ActorRef {
  // the id comes last and a token's name may hold ':', so split at the first and the last one
  const first = id.indexOf(':');
  const last = id.lastIndexOf(':');
  const kind = id.slice(0, first);
  const middle = id.slice(first + 1, last);
  const tail = id.slice(last + 1);
  if (first < 0 || last <= first || !middle || !UUID.test(tail)) return { kind: 'other', id };
  if (kind === 'user') return { kind: 'user', userId: tail, email: middle };
  if (kind === 'token') return { kind: 'token', tokenId: tail, name: middle };
  return { kind: 'other', id };
}
