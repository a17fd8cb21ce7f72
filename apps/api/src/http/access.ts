// Authorization at the edge: every route states who may call it (@Allow or @Public), and one global
// guard authenticates the caller (operator API token or a user's access token) and checks the role.
// A route without a rule is refused (default deny); the authorization matrix test reads every
// route from Nest and fails when one is missing from its table. Which organization or community a
// call touches is checked by the Scope helpers in the handlers, before anything else is validated,
// and a resource outside the caller's scope is answered 404, as if it did not exist.
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authenticateAccessToken, authenticateApiToken, DomainError, type Actor, type ActorRole, type Platform } from '@anchorage/authority';
import { PLATFORM } from './tokens';

/** Request with the authenticated actor attached (and the sign-in family, for a user). */
export type AuthedRequest = Request & { actor: Actor; familyId?: string };

/** Who may call a route. */
export interface AccessRule {
  public?: true;
  roles?: ActorRole[];
  /** Operators must run every community (an API token, or a user scoped to 'all'). */
  allCommunities?: true;
}

const ACCESS = 'anchorage:access';

/** Anyone, signed in or not (sign-in itself). */
export const Public = () => SetMetadata(ACCESS, { public: true } satisfies AccessRule);
/** Callers with one of `roles` (an operator API token counts as an operator of every community). */
export const Allow = (...roles: ActorRole[]) => SetMetadata(ACCESS, { roles } satisfies AccessRule);
/** Operators of every community (and `also`), e.g. creating communities, reading the whole audit log. */
export const AllowAllCommunities = (...also: ActorRole[]) => SetMetadata(ACCESS, { roles: ['operator', ...also], allCommunities: true } satisfies AccessRule);

/** The access rule of a handler, if it has one. */
export function accessRuleOf(reflector: Reflector, targets: Parameters<Reflector['getAllAndOverride']>[1]): AccessRule | undefined {
  return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, targets);
}

/** Authenticates the bearer token of a request: an API token (`anc_…`) or a user's access token. */
export async function authenticate(p: Platform, req: Pick<Request, 'headers'>): Promise<{ actor: Actor; familyId?: string } | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  if (m[1].startsWith('anc_')) {
    const actor = await authenticateApiToken(p, m[1]);
    return actor ? { actor } : null;
  }
  return authenticateAccessToken(p, m[1]);
}

/** The one guard of the API (registered as APP_GUARD): authentication and the route's role rule. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(@Inject(PLATFORM) private readonly platform: Platform, private readonly reflector: Reflector) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = accessRuleOf(this.reflector, [ctx.getHandler(), ctx.getClass()]);
    if (!rule) throw new DomainError('forbidden', 'this route has no access rule, so nobody may call it');
    if (rule.public) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const who = authorize(rule, await authenticate(this.platform, req));
    req.actor = who.actor;
    if (who.familyId) req.familyId = who.familyId;
    return true;
  }
}

/** The caller `who`, if `rule` (not a public one) lets them call the route; DomainError 'unauthorized' or 'forbidden' otherwise. */
export function authorize(rule: AccessRule, who: { actor: Actor; familyId?: string } | null): { actor: Actor; familyId?: string } {
  if (!who) throw new DomainError('unauthorized', 'sign in, or send an operator API token (Authorization: Bearer <token>)');
  const { actor } = who;
  if (!rule.roles?.includes(actor.role)) throw new DomainError('forbidden', `the ${actor.role} role may not do this`);
  if (rule.allCommunities && actor.role === 'operator' && actor.communityIds !== undefined) {
    throw new DomainError('forbidden', 'only an operator of every community may do this');
  }
  return who;
}
