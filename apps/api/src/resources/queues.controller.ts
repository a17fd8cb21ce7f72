import { Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, type Platform } from '@anchorage/authority';
import type { FailedJobView, QueuesView } from '@anchorage/contracts';
import { QueueNotFoundError, QueueUnavailableError, type QueueInspector } from '@anchorage/jobs';
import { Allow } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM, QUEUE_INSPECTOR } from '../http/tokens';

/** The worker's queues: counts, failed jobs and their errors, retry; and the outbox relay's backlog. */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('api/v1/queues')
export class QueuesController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, @Inject(QUEUE_INSPECTOR) private readonly inspector: QueueInspector | null) {}

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
  async list(@Res({ passthrough: true }) res: Response): Promise<QueuesView> {
    const outbox = await this.p.db.outboxRelay.backlog();
    res.setHeader('Cache-Control', 'no-store');
    return { queues: await this.use((q) => q.counts()), outbox };
  }

  /** Failed jobs of a queue, newest first, with the error of their last attempt. */
  @Get(':name/failed')
  @Allow('operator', 'auditor')
  async failed(@Param('name') name: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<FailedJobView[]> {
    const q = parseListQuery(query);
    const page = await this.use((i) => i.failed(name, q.skip, q.skip + q.take - 1));
    setContentRange(res, 'failed', q, page.items.length, page.total);
    return page.items.map((j) => ({ ...j, createdAt: j.createdAt.toISOString(), failedAt: j.failedAt?.toISOString() ?? null }));
  }

  /** Runs a failed job again (its processor re-reads state, so a retry never does work twice). */
  @Post(':name/jobs/:id/retry')
  @HttpCode(204)
  @Allow('operator')
  async retry(@Param('name') name: string, @Param('id') id: string): Promise<void> {
    await this.use((q) => q.retry(name, id));
  }
}
