import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { bulkRevocationView, DomainError, type Platform } from '@anchorage/authority';
import type { BulkRevocationView, ListQueryParams } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** Bulk revocations (suspended organizations, retired or compromised CAs) and their progress. */
@ApiTags('bulk-revocations')
@ApiBearerAuth()
@Controller('api/v1/bulk-revocations')
export class BulkRevocationsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Lists bulk revocations, newest first (filter: organizationId, caId, status). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<BulkRevocationView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', status: 'status', finishedAt: 'finishedAt' });
    const scope = await this.scope.listScopeFiltered(req.actor, q.filter.organizationId);
    const page = await this.p.db.bulkRevocations.list(
      { organizationId: scope.organizationId, caId: scope.organizationId ? undefined : q.filter.caId, status: q.filter.status, communityIds: scope.communityIds },
      q.skip, q.take, q.order,
    );
    setContentRange(res, 'bulk-revocations', q, page.items.length, page.total);
    return page.items.map(bulkRevocationView);
  }

  /** One bulk revocation and its progress. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<BulkRevocationView> {
    const b = await this.p.db.bulkRevocations.find(id);
    const missing = new DomainError('not-found', `bulk revocation ${id} not found`);
    if (!b) throw missing;
    if (b.organizationId) {
      const org = await this.p.db.organizations.find(b.organizationId);
      await this.scope.organization(req.actor, org!).catch(() => { throw missing; });
    } else {
      // a CA's bulk revocation concerns the whole community: not a member's business
      if (req.actor.role === 'member-admin') throw missing;
      await this.scope.community(req.actor, b.communityId).catch(() => { throw missing; });
    }
    return bulkRevocationView(b);
  }
}
