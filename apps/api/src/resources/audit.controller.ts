import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, verifyAuditChain, type AuditVerification, type Platform } from '@anchorage/authority';
import type { AuditEventView, AuditEventsQuery, AuditExportQuery, AuditListFilterParams, AuditVerifyQuery } from '@anchorage/contracts';
import type { AuditListFilter, AuditOrder } from '@anchorage/db';
import { AllowAllCommunities } from '../http/access';
import { PLATFORM } from '../http/tokens';
import { auditCsvHeader, auditCsvRow, auditEventView, auditJsonLine } from './audit-export';

/** The most events one audit page holds. */
const AUDIT_MAX_PAGE = 500;
/** The most events one export writes; a larger filtered set is refused (narrow the filter or the date range). */
export const AUDIT_EXPORT_MAX = 1_000_000;

const LEGACY = ['after', 'limit', 'subjectId', 'subjectType', 'actor', 'action'] as const;
const LIST = ['filter', 'range', 'sort'] as const;

/** The store's filter of the list's checked filter (its times as dates). */
function listFilter(f: AuditListFilterParams = {}): AuditListFilter {
  return { ...f, from: f.from === undefined ? undefined : new Date(f.from), to: f.to === undefined ? undefined : new Date(f.to) };
}

/** The order of `sort` (seq or at); newest first without one. */
function listOrder(sort: [string, 'ASC' | 'DESC'] | undefined): AuditOrder {
  if (sort === undefined) return { field: 'seq', direction: 'desc' };
  const [field, dir] = sort;
  // react-admin asks for `id` when a list names no sort: the default order
  if (field === 'id') return { field: 'seq', direction: 'desc' };
  if (field !== 'seq' && field !== 'at') throw new DomainError('validation', `cannot sort the audit log by ${field}; sort by one of: seq, at`);
  return { field, direction: dir === 'ASC' ? 'asc' : 'desc' };
}

/** The hash-chained audit log. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /**
   * Audit events, each with its place in the hash chain and its links once the sequencer linked it (null until then).
   * With `range`, `sort` and `filter` (react-admin's list dialect): a page, newest first unless sorted by `seq` or
   * `at`, filtered by actor, action prefix, subject, date range and text, with `Content-Range` and its total.
   * Otherwise, as before: in the order they were written after `after` (a sequence number), up to `limit`,
   * optionally only those of one `subjectId`, `subjectType` or `actor`, or of one `action` (a prefix when it ends in '.').
   */
  @Get('events')
  @AllowAllCommunities('auditor')
  async events(@Query() q: AuditEventsQuery, @Res({ passthrough: true }) res: Response): Promise<AuditEventView[]> {
    res.setHeader('Cache-Control', 'no-store');
    const list = LIST.filter((k) => q[k] !== undefined);
    if (list.length === 0) {
      const { after = 0n, limit = 100, subjectId, subjectType, actor, action } = q;
      const page = await this.p.db.audit.read(after, limit, { subjectId, subjectType, actor, action });
      return page.map(auditEventView);
    }
    const legacy = LEGACY.find((k) => q[k] !== undefined);
    if (legacy) throw new DomainError('validation', `${legacy} goes without ${list.join(', ')}: page with after and limit, or with range, sort and filter (whose fields include subjectId, subjectType, actor and action)`);
    const [first, last] = q.range ?? [0, 24];
    const take = Math.min(last - first + 1, AUDIT_MAX_PAGE);
    const page = await this.p.db.audit.list(listFilter(q.filter), first, take, listOrder(q.sort));
    const end = page.items.length === 0 ? first : first + page.items.length - 1;
    res.setHeader('Content-Range', `audit-events ${first}-${end}/${page.total}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    return page.items.map(auditEventView);
  }

  /**
   * The filtered list (as for `events`, newest first unless sorted) as a download: CSV or JSON lines, streamed in
   * keyset batches as it is read, never held whole; at most AUDIT_EXPORT_MAX events (a larger set is refused).
   */
  @Get('events/export')
  @AllowAllCommunities('auditor')
  async export(@Query() q: AuditExportQuery, @Res() res: Response): Promise<void> {
    const filter = listFilter(q.filter);
    const order = listOrder(q.sort);
    const total = await this.p.db.audit.count(filter);
    if (total > AUDIT_EXPORT_MAX) {
      throw new DomainError('validation', `the filter matches ${total} events; an export holds at most ${AUDIT_EXPORT_MAX}: narrow the filter or the date range`);
    }
    const stamp = this.p.clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const csv = q.format === 'csv';
    res.status(200);
    res.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-events-${stamp}.${csv ? 'csv' : 'jsonl'}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Total-Count', String(total));
    res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition, X-Total-Count');
    let closed = false;
    res.on('close', () => { closed = true; });
    // wait for the client to drain (or go away), with one pair of listeners at a time
    const drained = () => new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    const write = async (chunk: string) => {
      if (!res.write(chunk) && !closed) await drained();
    };
    try {
      if (csv) await write(auditCsvHeader());
      let written = 0;
      for await (const batch of this.p.db.audit.batches(filter, order, 1000)) {
        if (closed) return;
        const views = batch.slice(0, AUDIT_EXPORT_MAX - written).map(auditEventView);
        await write(views.map(csv ? auditCsvRow : auditJsonLine).join(''));
        written += views.length;
        if (written >= AUDIT_EXPORT_MAX) break;
      }
      res.end();
    } catch (error) {
      // the status line is sent: all that is left is to cut the download short, so it does not pass for whole
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
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
