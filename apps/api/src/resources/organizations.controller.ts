import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  addSanUris, approveOrganization, organizationImpact, bulkRevocationView, createOrganization, endpointCheckView, organizationView, reinstateOrganization, rejectOrganization,
  removeOrganizationWebhook, runEndpointCheck, setOrganizationWebhook, startEndpointCheck, submitOrganizationProfile, suspendOrganization, type Platform,
} from '@anchorage/authority';
import type {
  ApproveOrganizationBody, CreateOrganizationBody, EndpointCheckBody, EndpointCheckView, ListQueryParams, OrganizationImpactView, OrganizationProfileBody, OrganizationView, ReasonBody,
  SanUrisBody, SuspendOrganizationBody, SuspensionView, WebhookBody, WebhookSettingView,
} from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/** Member organizations and their SAN URIs. */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Admits an organization and binds its SAN URIs to it for good. */
  @Post()
  @HttpCode(201)
  @Allow('operator')
  async create(@Body() body: CreateOrganizationBody, @Req() req: AuthedRequest): Promise<OrganizationView> {
    await this.scope.community(req.actor, body.communityId);
    return organizationView(await createOrganization(this.p, body, req.actor));
  }

  /** Binds more SAN URIs. */
  @Post(':id/san-uris')
  @Allow('operator')
  async addSans(@Param('id', ParseUUIDPipe) id: string, @Body() body: SanUrisBody, @Req() req: AuthedRequest): Promise<OrganizationView> {
    await this.scope.loadOrganization(req.actor, id);
    return organizationView(await addSanUris(this.p, id, body.sanUris, req.actor));
  }

  /** Lists organizations (filter: communityId, status). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<OrganizationView[]> {
    const q = parseListQuery(query, { name: 'name', status: 'status', createdAt: 'createdAt', submittedAt: 'submittedAt' });
    const page = await this.p.db.organizations.list(q.filter.communityId, q.skip, q.take, { ...(await this.scope.listScope(req.actor)), status: q.filter.status, q: q.filter.q }, q.order);
    setContentRange(res, 'organizations', q, page.items.length, page.total);
    return page.items.map(organizationView);
  }

  /** One organization. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<OrganizationView> {
    return organizationView(await this.scope.loadOrganization(req.actor, id));
  }

  /**
   * What the operator's decisions would do, before deciding: the live certificates a suspension would
   * revoke, and the SAN URIs an approval binds for good with the state of each one's endpoint check.
   */
  @Get(':id/impact')
  @Allow('operator', 'auditor')
  async impact(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<OrganizationImpactView> {
    return organizationImpact(this.p, await this.scope.loadOrganization(req.actor, id));
  }

  /** The member submits (or resubmits) the organization profile for review. */
  @Post(':id/submit')
  @HttpCode(200)
  @Allow('member-admin', 'operator')
  async submit(@Param('id', ParseUUIDPipe) id: string, @Body() body: OrganizationProfileBody, @Req() req: AuthedRequest): Promise<OrganizationView> {
    const org = await this.scope.loadOrganization(req.actor, id);
    return organizationView(await submitOrganizationProfile(this.p, org, body, req.actor));
  }

  /**
   * Approves revision `profileRevision` (the one reviewed, as GET answered it) of a submitted organization's profile:
   * its requested SAN URIs are bound to it and it becomes active. A profile submitted again since is a 409 profile-changed.
   */
  @Post(':id/approve')
  @HttpCode(200)
  @Allow('operator')
  async approve(@Param('id', ParseUUIDPipe) id: string, @Body() body: ApproveOrganizationBody, @Req() req: AuthedRequest): Promise<OrganizationView> {
    return organizationView(await approveOrganization(this.p, await this.scope.loadOrganization(req.actor, id), body.profileRevision, req.actor));
  }

  /** Rejects a submitted organization with a reason. */
  @Post(':id/reject')
  @HttpCode(200)
  @Allow('operator')
  async reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonBody, @Req() req: AuthedRequest): Promise<OrganizationView> {
    return organizationView(await rejectOrganization(this.p, await this.scope.loadOrganization(req.actor, id), body.reason, req.actor));
  }

  /**
   * Suspends an active organization with a reason: no certificates until reinstated, and (unless
   * `revokeCertificates` is false) every live certificate revoked by a bulk revocation, with
   * `revocationReason` (default privilegeWithdrawn), whose progress the answer links to.
   */
  @Post(':id/suspend')
  @HttpCode(200)
  @Allow('operator')
  async suspend(
    @Param('id', ParseUUIDPipe) id: string, @Body() body: SuspendOrganizationBody, @Req() req: AuthedRequest,
  ): Promise<SuspensionView> {
    const out = await suspendOrganization(this.p, await this.scope.loadOrganization(req.actor, id), body.reason, req.actor, {
      revokeCertificates: body.revokeCertificates, revocationReason: body.revocationReason,
    });
    return { ...organizationView(out), bulkRevocation: out.bulkRevocation && bulkRevocationView(out.bulkRevocation) };
  }

  /**
   * Sets where signed expiry webhooks go; answers the HMAC secret, this once (a new one each time).
   * Deliveries carry X-Anchorage-Signature (t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">) and X-Anchorage-Delivery.
   */
  @Put(':id/webhook')
  @Allow('operator', 'member-admin')
  async setWebhook(@Param('id', ParseUUIDPipe) id: string, @Body() body: WebhookBody, @Req() req: AuthedRequest): Promise<WebhookSettingView> {
    return setOrganizationWebhook(this.p, await this.scope.loadOrganization(req.actor, id), body.url, req.actor);
  }

  /** Removes the organization's webhook. */
  @Delete(':id/webhook')
  @HttpCode(204)
  @Allow('operator', 'member-admin')
  async removeWebhook(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<void> {
    await removeOrganizationWebhook(this.p, await this.scope.loadOrganization(req.actor, id), req.actor);
  }

  /** Reinstates a suspended organization. */
  @Post(':id/reinstate')
  @HttpCode(200)
  @Allow('operator')
  async reinstate(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<OrganizationView> {
    return organizationView(await reinstateOrganization(this.p, await this.scope.loadOrganization(req.actor, id), req.actor));
  }

  /** The endpoint-control checks of the organization's SAN URIs. */
  @Get(':id/endpoint-checks')
  @Allow('operator', 'auditor', 'member-admin')
  async endpointChecks(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<EndpointCheckView[]> {
    const org = await this.scope.loadOrganization(req.actor, id);
    return (await this.p.db.onboarding.listEndpointChecks(org.id)).map(endpointCheckView);
  }

  /** Starts (or restarts) the check of one SAN URI: returns the token to publish and where. */
  @Post(':id/endpoint-checks')
  @HttpCode(201)
  @Allow('operator', 'member-admin')
  async startCheck(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndpointCheckBody, @Req() req: AuthedRequest): Promise<EndpointCheckView> {
    return endpointCheckView(await startEndpointCheck(this.p, await this.scope.loadOrganization(req.actor, id), body.uri, req.actor));
  }

  /** Fetches the published token now and records the outcome (verified, or failed with the reason). */
  @Post(':id/endpoint-checks/run')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async runCheck(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndpointCheckBody, @Req() req: AuthedRequest): Promise<EndpointCheckView> {
    return endpointCheckView(await runEndpointCheck(this.p, await this.scope.loadOrganization(req.actor, id), body.uri, req.actor));
  }
}
