import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { verifyAuditChain, type AuditVerification, type Platform } from '@anchorage/authority';
import type { AuditEventsQuery, AuditVerifyQuery } from '@anchorage/contracts';
import { AllowAllCommunities } from '../http/access';
import { PLATFORM } from '../http/tokens';

/** The hash-chained audit log. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /**
   * Audit events in the order they were written after `after` (a sequence number), each with its place in the
   * hash chain and its links once the sequencer linked it (null until then), optionally only those of one
   * `subjectId`, `subjectType` or `actor`, or of one `action` (a prefix when it ends in '.', e.g. `organization.`).
   */
  @Get('events')
  @AllowAllCommunities('auditor')
  async events(@Query() q: AuditEventsQuery, @Res({ passthrough: true }) res: Response): Promise<unknown[]> {
    const { after = 0n, limit = 100, ...filter } = q;
    const page = await this.p.db.audit.read(after, limit, filter);
    res.setHeader('Cache-Control', 'no-store');
    return page.map((e) => ({ ...e, seq: e.seq.toString(), chainSeq: e.chainSeq?.toString() ?? null, at: e.at.toISOString() }));
  }

  /**
   * Recomputes the whole chain and checks it against the signed checkpoints: the newest stored and the
   * published ones, and `checkpoint`, a compact JWS an auditor kept (docs/audit.md).
   */
  @Get('verify')
  @AllowAllCommunities('auditor')
  verify(@Query() q: AuditVerifyQuery): Promise<AuditVerification> {
    return verifyAuditChain(this.p, { checkpoint: q.checkpoint });
  }
}
