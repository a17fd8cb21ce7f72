import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { verifyAuditChain, type AuditVerification, type Platform } from '@anchorage/authority';
import { AllowAllCommunities } from '../http/access';
import { PLATFORM } from '../http/tokens';

/** The hash-chained audit log. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /** Audit events in chain order after `after` (a sequence number). */
  @Get('events')
  @AllowAllCommunities('auditor')
  async events(@Query('after') after = '0', @Query('limit') limit = '100', @Res({ passthrough: true }) res: Response): Promise<unknown[]> {
    const a = /^\d{1,18}$/.test(after) ? BigInt(after) : 0n;
    const l = Math.min(Math.max(parseInt(limit, 10) || 100, 1), 1000);
    const page = await this.p.db.readAudit(a, l);
    res.setHeader('Cache-Control', 'no-store');
    return page.map((e) => ({ ...e, seq: e.seq.toString(), at: e.at.toISOString() }));
  }

  /** Recomputes the whole chain. */
  @Get('verify')
  @AllowAllCommunities('auditor')
  verify(): Promise<AuditVerification> {
    return verifyAuditChain(this.p);
  }
}
