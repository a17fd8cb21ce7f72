import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, verifyAuditChain, type AuditVerification, type Platform } from '@anchorage/authority';
import type { AuditFilter } from '@anchorage/db';
import { AllowAllCommunities } from '../http/access';
import { PLATFORM } from '../http/tokens';

/** A compact JWS (RFC 7515 §7.1): three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

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
  async events(@Query() q: Record<string, string | undefined>, @Res({ passthrough: true }) res: Response): Promise<unknown[]> {
    const after = q.after ?? '0';
    if (!/^\d{1,18}$/.test(after)) throw new DomainError('validation', 'after must be a sequence number');
    const l = Math.min(Math.max(parseInt(q.limit ?? '100', 10) || 100, 1), 1000);
    const filter: AuditFilter = {};
    for (const k of ['subjectId', 'subjectType', 'actor', 'action'] as const) {
      const v = q[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new DomainError('validation', `${k} must be 1 to 200 characters`);
      filter[k] = v;
    }
    const page = await this.p.db.audit.read(BigInt(after), l, filter);
    res.setHeader('Cache-Control', 'no-store');
    return page.map((e) => ({ ...e, seq: e.seq.toString(), chainSeq: e.chainSeq?.toString() ?? null, at: e.at.toISOString() }));
  }

  /**
   * Recomputes the whole chain and checks it against the signed checkpoints: the newest stored and the
   * published ones, and `checkpoint`, a compact JWS an auditor kept (docs/audit.md).
   */
  @Get('verify')
  @AllowAllCommunities('auditor')
  @ApiQuery({ name: 'checkpoint', required: false, description: 'a compact JWS audit checkpoint kept by the caller (audit/checkpoint.jws)' })
  verify(@Query('checkpoint') checkpoint?: string): Promise<AuditVerification> {
    if (checkpoint !== undefined && (typeof checkpoint !== 'string' || checkpoint.length > 4096 || !COMPACT_JWS.test(checkpoint))) {
      throw new DomainError('validation', 'checkpoint must be a compact JWS (audit/checkpoint.jws as published)');
    }
    return verifyAuditChain(this.p, { checkpoint });
  }
}
