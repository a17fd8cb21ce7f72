import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { addSanUris, createOrganization, DomainError, organizationView, type CreateOrganizationInput, type Platform } from '@anchorage/authority';
import type { OrganizationView } from '@anchorage/contracts';
import { ApiTokenGuard, type AuthedRequest } from '../http/auth.guard';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/** Member organizations and their SAN URIs. */
@ApiTags('organizations')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform) {}

  /** Admits an organization and binds its SAN URIs to it for good. */
  @Post()
  @HttpCode(201)
  async create(@Body() body: CreateOrganizationInput, @Req() req: AuthedRequest): Promise<OrganizationView> {
    if (!body || typeof body !== 'object') throw new DomainError('validation', 'expected a JSON object');
    return organizationView(await createOrganization(this.p, body, req.actor));
  }

  /** Binds more SAN URIs. */
  @Post(':id/san-uris')
  async addSans(@Param('id', ParseUUIDPipe) id: string, @Body() body: { sanUris: string[] }, @Req() req: AuthedRequest): Promise<OrganizationView> {
    return organizationView(await addSanUris(this.p, id, body?.sanUris, req.actor));
  }

  /** Lists organizations (filter: communityId). */
  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<OrganizationView[]> {
    const q = parseListQuery(query);
    const page = await this.p.db.listOrganizations(q.filter.communityId, q.skip, q.take);
    setContentRange(res, 'organizations', q, page.items.length, page.total);
    return page.items.map(organizationView);
  }

  /** One organization. */
  @Get(':id')
  async show(@Param('id', ParseUUIDPipe) id: string): Promise<OrganizationView> {
    const o = await this.p.db.findOrganization(id);
    if (!o) throw new DomainError('not-found', `organization ${id} not found`);
    return organizationView(o);
  }
}
