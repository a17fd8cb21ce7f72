import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, type Actor, type Platform } from '@anchorage/authority';
import type { ActivityReportView, CaStatus, CrlReportView, ExpiryReportView, ReportDaysQuery, ReportWeeksQuery } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The console's charts: counts aggregated in SQL over a window, within the caller's communities
 * (or one of them, `communityId`). Readers of the whole picture only: operators and auditors.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** The communities to count: the caller's, or the one asked for (not-found when it is not the caller's or does not exist). */
  private async communities(actor: Actor, communityId: string | undefined): Promise<string[] | undefined> {
    if (communityId === undefined) return this.scope.communityIdsOf(actor);
    await this.scope.community(actor, communityId);
    if (!(await this.p.db.communities.find(communityId))) throw new DomainError('not-found', `community ${communityId} not found`);
    return [communityId];
  }

  /** Certificates issued and revoked per UTC day over the last `days` days (default 30), today included. */
  @Get('activity')
  @Allow('operator', 'auditor')
  async activity(@Query() q: ReportDaysQuery, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ActivityReportView> {
    const days = q.days ?? 30;
    const series = await this.p.db.reports.activity(await this.communities(req.actor, q.communityId), this.p.clock.now(), days);
    res.setHeader('Cache-Control', 'no-store');
    return {
      days, from: series[0].day, to: series[series.length - 1].day,
      totals: { issued: series.reduce((n, d) => n + d.issued, 0), revoked: series.reduce((n, d) => n + d.revoked, 0) },
      series,
    };
  }

  /** Each CA's CRLs published in the last `days` days (default 30): entries, bytes, lifetime, time left when replaced. */
  @Get('crls')
  @Allow('operator', 'auditor')
  async crls(@Query() q: ReportDaysQuery, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CrlReportView> {
    const days = q.days ?? 30;
    const since = new Date(this.p.clock.now().getTime() - days * DAY_MS);
    const cas = await this.p.db.reports.crlHistory(await this.communities(req.actor, q.communityId), since);
    res.setHeader('Cache-Control', 'no-store');
    return {
      days,
      cas: cas.map((ca) => ({
        caId: ca.caId, caSubject: ca.caSubject, caRole: ca.caRole, communityId: ca.communityId, caStatus: ca.status as CaStatus,
        crls: ca.crls.map((c) => ({
          crlNumber: c.crlNumber.toString(), thisUpdate: c.thisUpdate.toISOString(), nextUpdate: c.nextUpdate.toISOString(), entryCount: c.entryCount, bytes: c.bytes,
          lifetimeSeconds: c.lifetimeSeconds, secondsLeftAtReplacement: c.secondsLeftAtReplacement,
        })),
      })),
    };
  }

  /** Issued, unrevoked certificates expiring in each of the next `weeks` weeks (default 12), week 0 starting now. */
  @Get('expiring')
  @Allow('operator', 'auditor')
  async expiring(@Query() q: ReportWeeksQuery, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<ExpiryReportView> {
    const weeks = q.weeks ?? 12;
    const now = this.p.clock.now();
    const rows = await this.p.db.reports.expiringByWeek(await this.communities(req.actor, q.communityId), now, weeks);
    res.setHeader('Cache-Control', 'no-store');
    return {
      weeks, total: rows.reduce((n, r) => n + r.count, 0),
      series: rows.map((r) => ({
        week: r.week, from: new Date(now.getTime() + r.week * WEEK_MS).toISOString(), to: new Date(now.getTime() + (r.week + 1) * WEEK_MS).toISOString(), count: r.count,
      })),
    };
  }
}
