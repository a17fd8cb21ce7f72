import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, type Platform } from '@anchorage/authority';
import type { FailedJobView, ListQueryParams, QueueCountsView, QueuesView } from '@anchorage/contracts';
import { QueueNotFoundError, QueueUnavailableError, type FailedJob, type QueueInspector } from '@anchorage/jobs';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM, QUEUE_INSPECTOR } from '../http/tokens';

const noJobs = (): QueueCountsView => ({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 });

/**
 * The worker's queues: counts, failed jobs and their errors, retry; and the outbox relay's backlog.
 * A community-scoped operator sees only jobs about its communities' CAs, organizations, bulk
 * revocations and expiry notices (Scope.visibleJobs), and the counts and backlog of those jobs alone:
 * the queues' own counts are platform-wide. Another job is not found for it, like any resource out of scope.
 */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('api/v1/queues')
export class QueuesController {
  constructor(
    @Inject(PLATFORM) private readonly p: Platform, @Inject(QUEUE_INSPECTOR) private readonly inspector: QueueInspector | null, private readonly scope: Scope,
  ) {}

  private async use<T>(fn: (q: QueueInspector) => Promise<T>): Promise<T> {
    if (!this.inspector) throw new DomainError('queue-unavailable', 'this API instance has no Redis configured (ANCHORAGE_REDIS_URL)');
    try {
      return await fn(this.inspector);
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw new DomainError('queue-unavailable', `${err.message}; jobs wait in the outbox and run once Redis is back`);
      if (err instanceof QueueNotFoundError) throw new DomainError('not-found', err.message);
      throw err;
    }
  }

  /** Counts of every queue and the outbox backlog (the backlog is read from PostgreSQL even when Redis is down). */
  @Get()
  @Allow('operator', 'auditor')
  async list(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<QueuesView> {
    res.setHeader('Cache-Control', 'no-store');
    if (!(await this.scoped(req))) {
      const outbox = await this.p.db.outboxRelay.backlog();
      return { queues: await this.use((q) => q.counts()), outbox };
    }
    const rows = await this.scope.visibleJobs(req.actor, (await this.p.db.outboxRelay.incomplete()).map((r) => ({ ...r, data: r.payload })));
    const waiting = rows.filter((r) => !r.relayed);
    const outbox = {
      unrelayed: waiting.length, oldestUnrelayedSeconds: waiting.reduce((oldest, r) => Math.max(oldest, r.ageSeconds), 0), relayedIncomplete: rows.length - waiting.length,
    };
    const queues = await this.use((q) => q.jobs());
    const visible = await this.scope.visibleJobs(req.actor, queues.flatMap((q) => q.jobs.map((j) => ({ ...j, queue: q.name }))));
    return {
      queues: queues.map(({ name }) => {
        const counts = noJobs();
        for (const j of visible) if (j.queue === name) counts[j.state] += 1;
        return { name, counts };
      }),
      outbox,
    };
  }

  /** Failed jobs of a queue, newest first, with the error of their last attempt. */
  @Get(':name/failed')
  @Allow('operator', 'auditor')
  async failed(
    @Param('name') name: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response,
  ): Promise<FailedJobView[]> {
    const q = parseListQuery(query);
    let page: { items: FailedJob[]; total: number };
    if (await this.scoped(req)) {
      const mine = await this.scope.visibleJobs(req.actor, await this.use((i) => i.allFailed(name)));
      page = { items: mine.slice(q.skip, q.skip + q.take), total: mine.length };
    } else {
      page = await this.use((i) => i.failed(name, q.skip, q.skip + q.take - 1));
    }
    setContentRange(res, 'failed', q, page.items.length, page.total);
    return page.items.map((j) => ({ ...j, createdAt: j.createdAt.toISOString(), failedAt: j.failedAt?.toISOString() ?? null }));
  }

  /** Runs a failed job again (its processor re-reads state, so a retry never does work twice). */
  @Post(':name/jobs/:id/retry')
  @HttpCode(204)
  @Allow('operator')
  async retry(@Param('name') name: string, @Param('id') id: string, @Req() req: AuthedRequest): Promise<void> {
    if (await this.scoped(req)) {
      const job = await this.use((i) => i.failedJob(name, id));
      // the same answer as for a job that is not failed, so a scoped operator learns nothing of others' jobs
      if (!job || (await this.scope.visibleJobs(req.actor, [job])).length === 0) throw new DomainError('not-found', `no failed job ${id} in ${name}`);
    }
    await this.use((q) => q.retry(name, id));
  }

  /** Whether the caller sees only some communities' jobs. */
  private async scoped(req: AuthedRequest): Promise<boolean> {
    return (await this.scope.communityIdsOf(req.actor)) !== undefined;
  }
}
