import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createUser, DomainError, manageUser, resetTwoFactor, userView, type Platform, type UserAction } from '@anchorage/authority';
import type { CreatedUserView, CreateUserBody, ListQueryParams, UserView } from '@anchorage/contracts';
import type { UserRecord } from '@anchorage/db';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** Users: operators create them; operators and auditors list them; member admins see their organization's. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** A user the caller may see: operators of some communities see the member admins there, and themselves. */
  private async visible(req: AuthedRequest, u: UserRecord | null, id: string): Promise<UserRecord> {
    const a = req.actor;
    const ok = u !== null && (
      a.role === 'auditor'
      || u.id === a.userId
      || (a.role === 'member-admin' && u.organizationId !== null && u.organizationId === a.organizationId)
      || (a.role === 'operator' && (a.communityIds === undefined
        || (u.organizationId !== null && a.communityIds.includes((await this.p.db.organizations.find(u.organizationId))?.communityId ?? ''))))
    );
    if (!ok) throw new DomainError('not-found', `user ${id} not found`);
    return u;
  }

  /** Creates a user (operators and auditors only by an operator of every community; see createUser). */
  @Post()
  @HttpCode(201)
  @Allow('operator')
  async create(@Body() body: CreateUserBody, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CreatedUserView> {
    res.setHeader('Cache-Control', 'no-store'); // an operator's TOTP secret is in the body, once
    return createUser(this.p, body, req.actor);
  }

  /** Lists users (filter: organizationId, role). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<UserView[]> {
    const q = parseListQuery(query, { email: 'email', displayName: 'displayName', role: 'role', createdAt: 'createdAt' });
    const scope = await this.scope.listScopeFiltered(req.actor, q.filter.organizationId);
    const page = await this.p.db.identity.listUsers({
      organizationId: scope.organizationId, role: q.filter.role, communityIds: scope.communityIds,
    }, q.skip, q.take, q.order);
    setContentRange(res, 'users', q, page.items.length, page.total);
    return page.items.map(userView);
  }

  /** One user. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<UserView> {
    return userView(await this.visible(req, await this.p.db.identity.findUser(id), id));
  }

  private async act(id: string, action: UserAction, req: AuthedRequest): Promise<UserView> {
    return manageUser(this.p, await this.visible(req, await this.p.db.identity.findUser(id), id), action, req.actor);
  }

  /** Disables an account and ends its sessions. */
  @Post(':id/disable')
  @HttpCode(200)
  @Allow('operator')
  disable(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<UserView> {
    return this.act(id, 'disable', req);
  }

  /** Re-enables a disabled account. */
  @Post(':id/enable')
  @HttpCode(200)
  @Allow('operator')
  enable(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<UserView> {
    return this.act(id, 'enable', req);
  }

  /** Lifts the lock after repeated failed sign-ins. */
  @Post(':id/unlock')
  @HttpCode(200)
  @Allow('operator')
  unlock(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<UserView> {
    return this.act(id, 'unlock', req);
  }

  /** Resets the second factor (a lost device): ends its sessions; an operator's or auditor's new TOTP secret is in the answer, once. */
  @Post(':id/reset-two-factor')
  @HttpCode(200)
  @Allow('operator')
  async resetTwoFactor(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CreatedUserView> {
    res.setHeader('Cache-Control', 'no-store');
    return resetTwoFactor(this.p, await this.visible(req, await this.p.db.identity.findUser(id), id), req.actor);
  }
}
