import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  checkConformanceEndpoint, conformanceAlertView, conformanceCheckView, conformanceEndpointView, DomainError, type Platform,
} from '@anchorage/authority';
import type {
  ConformanceAlertView, ConformanceCheckResultView, ConformanceCheckView, ConformanceEndpointView, ListQueryParams, OrganizationConformanceView,
} from '@anchorage/contracts';
import type { ConformanceCheckRecord, ConformanceEndpointRecord } from '@anchorage/db';
import { Allow, type AuthedRequest } from '../http/access';
import { AttemptLimiter } from '../http/attempt-limiter';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** How many of each endpoint's newest checks the organization's conformance page shows. */
const PAGE_HISTORY = 10;
/**
 * Checks on demand per monitored server per minute (per API instance): enough to retry a fix, not
 * enough to turn the platform into a load generator pointed at a member's server.
 */
export const CHECKS_NOW_PER_MINUTE = 6;

/**
 * Endpoint conformance (docs/conformance.md): the community-wide table (operators, auditors), an
 * organization's page with each endpoint's history (its members too), alerts, and a check run now
 * (the organization's member admins and operators).
 */
@ApiTags('conformance')
@ApiBearerAuth()
@Controller('api/v1')
export class ConformanceController {
  private readonly checksNow = new AttemptLimiter(CHECKS_NOW_PER_MINUTE, 60_000);

  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Views of `endpoints` with the codes of each one's newest check. */
  private async views(endpoints: ConformanceEndpointRecord[], newest?: Map<string, ConformanceCheckRecord[]>): Promise<ConformanceEndpointView[]> {
    const uris = new Map<string, string>();
    for (const id of new Set(endpoints.map((e) => e.communityId))) uris.set(id, (await this.p.db.communities.find(id))?.uri ?? '');
    const last = newest ?? await this.p.db.conformance.recentChecks(endpoints.map((e) => e.id), 1);
    return endpoints.map((e) => conformanceEndpointView(e, uris.get(e.communityId)!, last.get(e.id)?.[0] ?? null));
  }

  /** Endpoint `id` if `actor` may see it (its organization), else not-found. */
  private async endpoint(req: AuthedRequest, id: string): Promise<ConformanceEndpointRecord> {
    const e = await this.p.db.conformance.find(id);
    const missing = new DomainError('not-found', `conformance endpoint ${id} not found`);
    if (!e) throw missing;
    await this.scope.loadOrganization(req.actor, e.organizationId).catch(() => { throw missing; });
    return e;
  }

  /** The community-wide table: every monitored endpoint in the caller's communities, failing first (filter: communityId, organizationId, status). */
  @Get('conformance/endpoints')
  @Allow('operator', 'auditor')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ConformanceEndpointView[]> {
    const q = parseListQuery(query, { baseUrl: 'baseUrl', status: 'status', lastCheckedAt: 'lastCheckedAt', consecutiveFailures: 'consecutiveFailures', nextDueAt: 'nextDueAt' });
    if (q.filter.communityId) await this.scope.community(req.actor, q.filter.communityId);
    const scope = await this.scope.listScope(req.actor);
    const page = await this.p.db.conformance.list(
      { communityIds: scope.communityIds, communityId: q.filter.communityId, organizationId: q.filter.organizationId, status: q.filter.status }, q.skip, q.take, q.order,
    );
    setContentRange(res, 'conformance-endpoints', q, page.items.length, page.total);
    return this.views(page.items);
  }

  /** One endpoint and its current state. */
  @Get('conformance/endpoints/:id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<ConformanceEndpointView> {
    return (await this.views([await this.endpoint(req, id)]))[0];
  }

  /** An endpoint's checks, newest first. */
  @Get('conformance/endpoints/:id/checks')
  @Allow('operator', 'auditor', 'member-admin')
  async checks(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ConformanceCheckView[]> {
    const q = parseListQuery(query, {});
    const e = await this.endpoint(req, id);
    const page = await this.p.db.conformance.checks(e.id, q.skip, q.take);
    setContentRange(res, 'conformance-checks', q, page.items.length, page.total);
    return page.items.map(conformanceCheckView);
  }

  /** Checks the endpoint now and answers the result (recorded with the history; a passing endpoint that fails raises its alert). */
  @Post('conformance/endpoints/:id/check')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async checkNow(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ConformanceCheckResultView> {
    const e = await this.endpoint(req, id);
    const wait = this.checksNow.take(e.id, this.p.clock.now().getTime());
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new DomainError('too-many-requests', `this server was checked ${CHECKS_NOW_PER_MINUTE} times in the last minute; try again in ${wait} s (the monitor checks it every cycle too)`);
    }
    const out = await checkConformanceEndpoint(this.p, e.id, { trigger: 'on-demand', actor: req.actor });
    return { endpoint: (await this.views([out.endpoint], new Map([[e.id, [out.check]]])))[0], check: conformanceCheckView(out.check), alertId: out.alert?.id ?? null };
  }

  /** An organization's conformance page: each of its endpoints (retired ones too) with its newest checks. */
  @Get('organizations/:id/conformance')
  @Allow('operator', 'auditor', 'member-admin')
  async organization(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<OrganizationConformanceView> {
    const org = await this.scope.loadOrganization(req.actor, id);
    const endpoints = (await this.p.db.conformance.list({ organizationId: org.id, includeRetired: true }, 0, 1000)).items;
    const history = await this.p.db.conformance.recentChecks(endpoints.map((e) => e.id), PAGE_HISTORY);
    const views = await this.views(endpoints, history);
    const monitored = views.filter((v) => v.retiredAt === null);
    return {
      organizationId: org.id,
      summary: { passing: monitored.filter((v) => v.status === 'passing').length, failing: monitored.filter((v) => v.status === 'failing').length, unknown: monitored.filter((v) => v.status === 'unknown').length },
      endpoints: views.map((v) => ({ endpoint: v, history: (history.get(v.id) ?? []).map(conformanceCheckView) })),
    };
  }

  /** Alerts of endpoints that went from passing to failing, and their delivery, newest first (filter: organizationId). */
  @Get('conformance/alerts')
  @Allow('operator', 'auditor', 'member-admin')
  async alerts(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ConformanceAlertView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', baseUrl: 'baseUrl' });
    const scope = await this.scope.listScopeFiltered(req.actor, q.filter.organizationId);
    const page = await this.p.db.conformance.listAlerts({ organizationId: scope.organizationId, communityIds: scope.communityIds }, q.skip, q.take, q.order);
    setContentRange(res, 'conformance-alerts', q, page.items.length, page.total);
    return page.items.map(conformanceAlertView);
  }
}
