import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { caView, communityView, createCommunity, DomainError, isExternalCa, setExchangePurposes, updateCommunityPolicy, type Platform } from '@anchorage/authority';
import type {
  CaStatus, CommunityDetailView, CommunityHierarchyView, CommunityView, CreateCommunityBody, ListQueryParams, SetExchangePurposesBody, UpdateCommunityPolicyBody,
} from '@anchorage/contracts';
import { Allow, AllowAllCommunities, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/** Communities and their CAs. */
@ApiTags('communities')
@ApiBearerAuth()
@Controller('api/v1/communities')
export class CommunitiesController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /**
   * Creates a community with a root and an issuing CA; with `offlineRoot: true`, only the issuing
   * CA, awaiting its certificate, whose CSR (`csrPem`) goes to the offline root. An EC `caKeyType`
   * is refused (422 key-policy) under `policy.requireRsaChain`, else answered with a `warnings` entry.
   */
  @Post()
  @HttpCode(201)
  @AllowAllCommunities()
  async create(@Body() body: CreateCommunityBody, @Req() req: AuthedRequest): Promise<CommunityDetailView> {
    const c = await createCommunity(this.p, body, req.actor);
    const cas = c.root ? [c.root, c.issuing] : [c.issuing];
    return { ...communityView(c.community, cas), cas: cas.map((a) => caView(a, this.p.urls)) };
  }

  /** Lists communities. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CommunityView[]> {
    const q = parseListQuery(query, { name: 'name', uri: 'uri', createdAt: 'createdAt' });
    const page = await this.p.db.communities.list(q.skip, q.take, await this.scope.communityIdsOf(req.actor), q.order);
    const views = await Promise.all(page.items.map(async (c) => communityView(c, await this.p.db.cas.ofCommunity(c.id))));
    setContentRange(res, 'communities', q, views.length, page.total);
    return views;
  }

  /** One community. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CommunityDetailView> {
    await this.scope.community(req.actor, id);
    const c = await this.p.db.communities.find(id);
    if (!c) throw new DomainError('not-found', `community ${id} not found`);
    const cas = await this.p.db.cas.ofCommunity(id);
    return { ...communityView(c, cas), cas: cas.map((a) => caView(a, this.p.urls)) };
  }

  /**
   * Sets the community's catalog of exchange purposes (the fragments its client SAN URIs may carry,
   * e.g. TEFCA's "#T-TREAT"): the whole list in `purposes`, or `preset: "tefca"`.
   */
  @Put(':id/exchange-purposes')
  @Allow('operator')
  async setExchangePurposes(@Param('id', ParseUUIDPipe) id: string, @Body() body: SetExchangePurposesBody, @Req() req: AuthedRequest): Promise<CommunityDetailView> {
    await this.scope.community(req.actor, id);
    const input = body.preset !== undefined ? { preset: body.preset } : { purposes: body.purposes ?? [] };
    const c = await setExchangePurposes(this.p, id, input, req.actor);
    const cas = await this.p.db.cas.ofCommunity(id);
    return { ...communityView(c, cas), cas: cas.map((a) => caView(a, this.p.urls)) };
  }

  /**
   * Changes the community's policy: the fields given, the others kept; checked whole as at creation
   * (requireRsaChain is refused, 422 key-policy, while a CA of the community has an EC key).
   */
  @Put(':id/policy')
  @Allow('operator')
  async updatePolicy(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCommunityPolicyBody, @Req() req: AuthedRequest): Promise<CommunityDetailView> {
    await this.scope.community(req.actor, id);
    const c = await updateCommunityPolicy(this.p, id, body, req.actor);
    const cas = await this.p.db.cas.ofCommunity(id);
    return { ...communityView(c, cas), cas: cas.map((a) => caView(a, this.p.urls)) };
  }

  /** The community's CAs, root first, each with its parent, SHA-256 fingerprint and leaf certificates counted by state. */
  @Get(':id/hierarchy')
  @Allow('operator', 'auditor')
  async hierarchy(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CommunityHierarchyView> {
    await this.scope.community(req.actor, id);
    if (!(await this.p.db.communities.find(id))) throw new DomainError('not-found', `community ${id} not found`);
    const [cas, counts] = await Promise.all([this.p.db.cas.ofCommunity(id), this.p.db.reports.leafCounts(id, this.p.clock.now())]);
    const byCa = new Map(counts.map((c) => [c.caId, c]));
    const order = (role: string) => (role === 'root' ? 0 : 1);
    res.setHeader('Cache-Control', 'no-store');
    return {
      communityId: id,
      cas: [...cas].sort((a, b) => order(a.role) - order(b.role) || a.createdAt.getTime() - b.createdAt.getTime()).map((ca) => {
        const view = caView(ca, this.p.urls);
        const n = byCa.get(ca.id);
        return {
          id: ca.id, role: ca.role, parentId: ca.parentId, subject: ca.subject, status: ca.status as CaStatus, keyType: ca.keyType, external: isExternalCa(ca),
          sha256: view.sha256, notAfter: view.notAfter, leaves: { active: n?.active ?? 0, revoked: n?.revoked ?? 0, expired: n?.expired ?? 0 },
        };
      }),
      trustBundleUrl: this.p.urls.trustBundle(id),
    };
  }
}
