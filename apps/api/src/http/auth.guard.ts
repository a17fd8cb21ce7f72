import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { authenticateApiToken, type Actor, type Platform } from '@anchorage/authority';
import { PLATFORM } from './tokens';

/** Request with the authenticated actor attached. */
export type AuthedRequest = Request & { actor: Actor };

/** Requires an operator API token (`Authorization: Bearer anc_…`) on every admin route. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const actor = m ? await authenticateApiToken(this.platform, m[1]) : null;
    if (!actor) throw new UnauthorizedException('a valid operator API token is required (Authorization: Bearer <token>)');
    req.actor = actor;
    return true;
  }
}
