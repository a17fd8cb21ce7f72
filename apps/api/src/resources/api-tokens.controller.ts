import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { apiTokenView, createApiToken, revokeApiToken, type Platform } from '@anchorage/authority';
import type { ApiTokenView, CreateApiTokenBody, CreatedApiTokenView, ListQueryParams } from '@anchorage/contracts';
import { AllowAllCommunities, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/**
 * Operator API tokens. A token acts as an operator of every community, so only operators of every
 * community (and tokens) create, list and revoke them: an operator of some communities would otherwise
 * mint a wider power than its own.
 */
@ApiTags('api-tokens')
@ApiBearerAuth()
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /** Creates a token; its secret is in the answer, this once. */
  @Post()
  @HttpCode(201)
  @AllowAllCommunities()
  async create(@Body() body: CreateApiTokenBody, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CreatedApiTokenView> {
    res.setHeader('Cache-Control', 'no-store');
    const t = await createApiToken(this.p, body.name, req.actor, { expiresInDays: body.expiresInDays });
    return { ...apiTokenView(t.record, this.p.clock.now()), token: t.token };
  }

  /** Lists tokens, newest first (auditors too: metadata only). */
  @Get()
  @AllowAllCommunities('auditor')
  async list(@Query() query: ListQueryParams, @Res({ passthrough: true }) res: Response): Promise<ApiTokenView[]> {
    const q = parseListQuery(query, { name: 'name', createdAt: 'createdAt', lastUsedAt: 'lastUsedAt', expiresAt: 'expiresAt' });
    const page = await this.p.db.apiTokens.list(q.skip, q.take, q.order);
    setContentRange(res, 'api-tokens', q, page.items.length, page.total);
    const now = this.p.clock.now();
    return page.items.map((t) => apiTokenView(t, now));
  }

  /** Revokes a token (a token may revoke itself). */
  @Post(':id/revoke')
  @HttpCode(200)
  @AllowAllCommunities()
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<ApiTokenView> {
    return apiTokenView(await revokeApiToken(this.p, id, req.actor), this.p.clock.now());
  }
}
