import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isExternalCa, type Platform } from '@anchorage/authority';
import type { CaStatus, DashboardView } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** Days ahead the dashboard looks for certificates that expire. */
const EXPIRY_WINDOW_DAYS = 30;

/** The console's dashboard: pending work, CRL freshness per CA, certificates expiring soon. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/v1/dashboard')
export class DashboardController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** The caller's dashboard, within its scope. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<DashboardView> {
    const scope = await this.scope.listScope(req.actor);
    const communityIds = await this.scope.communityIdsOf(req.actor);
    const now = this.p.clock.now();
    const until = new Date(now.getTime() + EXPIRY_WINDOW_DAYS * 86_400_000);
    const r = this.p.db.reports;
    const [pendingRequests, organizationsAwaitingReview, crls, expiring] = await Promise.all([
      r.pendingRequests(scope), r.organizationsAwaitingReview(scope), r.crlFreshness(communityIds), r.expiringSoon(scope, now, until, 10),
    ]);
    res.setHeader('Cache-Control', 'no-store');
    return {
      pendingRequests,
      organizationsAwaitingReview,
      crls: crls.map((c) => ({
        caId: c.caId, caSubject: c.caSubject, caRole: c.caRole, communityId: c.communityId, caStatus: c.status as CaStatus, external: isExternalCa(c), crlNumber: c.crlNumber?.toString() ?? null,
        nextUpdate: c.nextUpdate?.toISOString() ?? null, entryCount: c.entryCount,
        secondsUntilNextUpdate: c.nextUpdate ? Math.floor((c.nextUpdate.getTime() - now.getTime()) / 1000) : null,
      })),
      expiringSoon: {
        withinDays: EXPIRY_WINDOW_DAYS, total: expiring.total,
        certificates: expiring.items.map((c) => ({
          id: c.id, serial: Buffer.from(c.serial).toString('hex'), organizationId: c.organizationId, sanUris: c.sanUris, notAfter: c.notAfter.toISOString(),
        })),
      },
    };
  }
}
