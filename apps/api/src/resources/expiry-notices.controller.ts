import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { expiryNoticeView, type Platform } from '@anchorage/authority';
import type { ExpiryNoticeView, ListQueryParams } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** Expiry notices and their delivery (e-mail, webhook), newest first. */
@ApiTags('expiry-notices')
@ApiBearerAuth()
@Controller('api/v1/expiry-notices')
export class ExpiryNoticesController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Lists notices (filter: organizationId, subjectType); members see their organization's only. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ExpiryNoticeView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', notAfter: 'notAfter', thresholdDays: 'thresholdDays' });
    const scope = await this.scope.listScopeFiltered(req.actor, q.filter.organizationId);
    const page = await this.p.db.notices.list(
      { organizationId: scope.organizationId, communityIds: scope.communityIds, subjectType: scope.organizationId ? 'certificate' : q.filter.subjectType },
      q.skip, q.take, q.order,
    );
    setContentRange(res, 'expiry-notices', q, page.items.length, page.total);
    return page.items.map(expiryNoticeView);
  }
}
