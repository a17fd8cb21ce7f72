import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  acceptInvitation, describeInvitation, DomainError, invitationView, inviteContact, revokeInvitation, type Platform,
} from '@anchorage/authority';
import type {
  AcceptedInvitationView, AcceptInvitationBody, InvitationCreatedView, InvitationLookupBody, InvitationLookupView, InvitationView, InviteBody, ListQueryParams,
} from '@anchorage/contracts';
import { Allow, Public, type AuthedRequest } from '../http/access';
import type { AttemptLimiter } from '../http/attempt-limiter';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM, SIGN_IN_LIMITER } from '../http/tokens';

/** Invitations of organization contacts: operators send and withdraw them; the invitee looks one up and accepts it. */
@ApiTags('invitations')
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(
    @Inject(PLATFORM) private readonly p: Platform,
    private readonly scope: Scope,
    @Inject(SIGN_IN_LIMITER) private readonly attempts: AttemptLimiter,
  ) {}

  private limit(req: Request, res: Response): void {
    // a token guess costs an attempt like a password guess does
    this.attempts.enforce(req, res, 'attempts');
  }

  /** Invites a contact by e-mail, to a new draft organization (communityId, organizationName) or an existing one (organizationId). */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @Allow('operator')
  async invite(@Body() body: InviteBody, @Req() req: AuthedRequest): Promise<InvitationCreatedView> {
    const ids = await this.scope.communityIdsOf(req.actor);
    return inviteContact(this.p, body, req.actor, (communityId) => !ids || ids.includes(communityId));
  }

  /** Lists invitations (filter: organizationId). */
  @Get()
  @ApiBearerAuth()
  @Allow('operator', 'auditor')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<InvitationView[]> {
    const q = parseListQuery(query, { email: 'email', createdAt: 'createdAt', expiresAt: 'expiresAt' });
    const page = await this.p.db.onboarding.listInvitations({ organizationId: q.filter.organizationId, communityIds: await this.scope.communityIdsOf(req.actor) }, q.skip, q.take, q.order);
    setContentRange(res, 'invitations', q, page.items.length, page.total);
    const now = this.p.clock.now();
    return page.items.map((i) => invitationView(i, now));
  }

  /** Withdraws a pending invitation: its link stops working. */
  @Post(':id/revoke')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('operator')
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<InvitationView> {
    const inv = await this.p.db.onboarding.findInvitation(id);
    const org = inv ? await this.p.db.organizations.find(inv.organizationId) : null;
    if (!inv || !org) throw new DomainError('not-found', `invitation ${id} not found`);
    await this.scope.organization(req.actor, org);
    return revokeInvitation(this.p, inv, req.actor);
  }

  /** What an invitation link is for (e-mail, organization, expiry), before the invitee accepts it; 410 for a dead link. */
  @Post('lookup')
  @HttpCode(200)
  @Public()
  async lookup(@Body() body: InvitationLookupBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InvitationLookupView> {
    this.limit(req, res);
    return describeInvitation(this.p, body.token);
  }

  /** Accepts an invitation: creates the invitee's member-admin account (then sign in as usual). */
  @Post('accept')
  @HttpCode(201)
  @Public()
  async accept(@Body() body: AcceptInvitationBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AcceptedInvitationView> {
    this.limit(req, res);
    return acceptInvitation(this.p, { token: body.token, displayName: body.displayName, password: body.password });
  }
}
