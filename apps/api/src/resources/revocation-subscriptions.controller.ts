import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  listRevocationSubscriptions, loadSubscription, pauseRevocationSubscription, resumeRevocationSubscription, revocationDeliveryView, revocationSubscriptionView,
  rotateRevocationSubscriptionSecret, subscribeToRevocations, unsubscribeFromRevocations, type Platform,
} from '@anchorage/authority';
import type {
  ListQueryParams, RevocationDeliveryView, RevocationSubscriptionSecretView, RevocationSubscriptionView, SubscribeToRevocationsBody,
} from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/**
 * Relying parties' subscriptions to a community's revocation notices (docs/revocation-notices.md):
 * operators manage every subscription of the communities they run, member admins their own
 * organization's, auditors read them all. A subscription the caller may not see answers 404.
 */
@ApiTags('revocation-subscriptions')
@ApiBearerAuth()
@Controller('api/v1/revocation-subscriptions')
export class RevocationSubscriptionsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /** Subscribes a callback; answers the HMAC secret, this once. */
  @Post()
  @HttpCode(201)
  @Allow('operator', 'member-admin')
  async subscribe(@Body() body: SubscribeToRevocationsBody, @Req() req: AuthedRequest): Promise<RevocationSubscriptionSecretView> {
    const out = await subscribeToRevocations(this.p, body, req.actor);
    return { subscription: revocationSubscriptionView(out.subscription), secret: out.secret };
  }

  /** Lists subscriptions within the caller's scope (filter: communityId, organizationId, status). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<RevocationSubscriptionView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', status: 'status', consecutiveFailures: 'consecutiveFailures', lastDeliveredAt: 'lastDeliveredAt' });
    const page = await listRevocationSubscriptions(this.p, req.actor, { communityId: q.filter.communityId, organizationId: q.filter.organizationId, status: q.filter.status }, q.skip, q.take, q.order);
    setContentRange(res, 'revocation-subscriptions', q, page.items.length, page.total);
    return page.items.map(revocationSubscriptionView);
  }

  /** One subscription and its health. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RevocationSubscriptionView> {
    return revocationSubscriptionView(await loadSubscription(this.p, req.actor, id));
  }

  /** The subscription's deliveries, newest first. */
  @Get(':id/deliveries')
  @Allow('operator', 'auditor', 'member-admin')
  async deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<RevocationDeliveryView[]> {
    await loadSubscription(this.p, req.actor, id);
    const q = parseListQuery(query, {});
    const page = await this.p.db.revocationSubscriptions.listDeliveries(id, q.skip, q.take);
    setContentRange(res, 'deliveries', q, page.items.length, page.total);
    return page.items.map(revocationDeliveryView);
  }

  /** Pauses the subscription. */
  @Post(':id/pause')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async pause(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RevocationSubscriptionView> {
    return revocationSubscriptionView(await pauseRevocationSubscription(this.p, id, req.actor));
  }

  /** Resumes the subscription. */
  @Post(':id/resume')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async resume(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RevocationSubscriptionView> {
    return revocationSubscriptionView(await resumeRevocationSubscription(this.p, id, req.actor));
  }

  /** Replaces the HMAC secret; answers the new one, this once. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async rotate(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RevocationSubscriptionSecretView> {
    const out = await rotateRevocationSubscriptionSecret(this.p, id, req.actor);
    return { subscription: revocationSubscriptionView(out.subscription), secret: out.secret };
  }

  /** Cancels the subscription. */
  @Delete(':id')
  @HttpCode(204)
  @Allow('operator', 'member-admin')
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<void> {
    await unsubscribeFromRevocations(this.p, id, req.actor);
  }
}
