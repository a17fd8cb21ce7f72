import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  certificationTemplateView, certificationView, createPlatformCertifier, defineCertificationTemplate, DomainError, issueCertification, listCertifications,
  listCertificationTemplates, platformCertifierView, recordCertification, revokeCertification, type Actor, type DefineCertificationTemplateInput, type Platform,
} from '@anchorage/authority';
import type {
  CertificationTemplateView, CertificationView, CreatePlatformCertifierBody, DefineCertificationTemplateBody, IssueCertificationBody, ListQueryParams,
  PlatformCertifierView, RecordCertificationBody, RevokeCertificationBody,
} from '@anchorage/contracts';
import type { CertificationRecord } from '@anchorage/db';
import { Allow, type AuthedRequest } from '../http/access';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** A community's certification templates (docs/certifications.md). */
@ApiTags('certifications')
@ApiBearerAuth()
@Controller('api/v1/communities/:id/certification-templates')
export class CertificationTemplatesController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Defines a template: `{ "builtIn": "tefca-basic-app" }`, or the community's own terms. */
  @Post()
  @HttpCode(201)
  @Allow('operator')
  async define(@Param('id', ParseUUIDPipe) id: string, @Body() body: DefineCertificationTemplateBody, @Req() req: AuthedRequest): Promise<CertificationTemplateView> {
    await this.scope.community(req.actor, id);
    const input = (body.builtIn !== undefined
      ? { communityId: id, builtIn: body.builtIn }
      : { communityId: id, ...body, name: body.name ?? '', uris: body.uris ?? [], grantTypes: body.grantTypes ?? [] }) as DefineCertificationTemplateInput;
    return certificationTemplateView(await defineCertificationTemplate(this.p, input, req.actor), this.p.urls);
  }

  /** Lists the community's templates. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificationTemplateView[]> {
    await this.scope.community(req.actor, id);
    const q = parseListQuery(query);
    const page = await listCertificationTemplates(this.p, id, q.skip, q.take);
    setContentRange(res, 'certification-templates', q, page.items.length, page.total);
    return page.items.map((t) => certificationTemplateView(t, this.p.urls));
  }
}

/** A community's platform certifiers: certifier keys the signer generates and holds (docs/certifications.md). */
@ApiTags('certifications')
@ApiBearerAuth()
@Controller('api/v1/communities/:id/certifiers')
export class PlatformCertifiersController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Creates a certifier for an organization of the community and one of its https SAN URIs: the signer generates the RSA key. */
  @Post()
  @HttpCode(201)
  @Allow('operator')
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreatePlatformCertifierBody, @Req() req: AuthedRequest): Promise<PlatformCertifierView> {
    await this.scope.community(req.actor, id);
    const org = await this.scope.loadOrganization(req.actor, body.organizationId);
    if (org.communityId !== id) throw new DomainError('not-found', `organization ${body.organizationId} not found in community ${id}`);
    const out = await createPlatformCertifier(this.p, body, req.actor);
    return platformCertifierView(out.certifier, out.certificate);
  }

  /** Lists the community's platform certifiers. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<PlatformCertifierView[]> {
    await this.scope.community(req.actor, id);
    const q = parseListQuery(query);
    const page = await this.p.db.certifications.certifiersOf(id, q.skip, q.take);
    setContentRange(res, 'certifiers', q, page.items.length, page.total);
    return Promise.all(page.items.map(async (c) => platformCertifierView(c, (await this.p.db.certificates.find(c.certificateId))!)));
  }
}

/** Certifications of member apps: record (a certifier-signed JWT), list per app or organization, show, revoke. */
@ApiTags('certifications')
@ApiBearerAuth()
@Controller('api/v1/certifications')
export class CertificationsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** A member sees the certifications its organization is a party to (the certified app's or the certifier's). */
  private async load(id: string, actor: Actor): Promise<CertificationRecord> {
    const c = await this.p.db.certifications.find(id);
    const missing = new DomainError('not-found', `certification ${id} not found`);
    if (!c) throw missing;
    if (actor.role === 'member-admin') {
      if (actor.organizationId !== c.organizationId && actor.organizationId !== c.certifierOrganizationId) throw missing;
    } else {
      await this.scope.community(actor, c.communityId).catch(() => { throw missing; });
    }
    return c;
  }

  /**
   * Records a certification JWT a certifier signed (udap.org Certifications and Endorsements): it must
   * verify as relying parties verify it, follow the template and certify a client URI of the organization.
   * A member records only what its own certifier certificate signed.
   */
  @Post()
  @HttpCode(201)
  @Allow('operator', 'member-admin')
  async record(@Body() body: RecordCertificationBody, @Req() req: AuthedRequest): Promise<CertificationView> {
    const template = await this.p.db.certifications.findTemplate(body.templateId);
    if (!template) throw new DomainError('not-found', `certification template ${body.templateId} not found`);
    await this.scope.community(req.actor, template.communityId).catch(() => { throw new DomainError('not-found', `certification template ${body.templateId} not found`); });
    return certificationView(await recordCertification(this.p, body, req.actor), this.p.urls);
  }

  /** Issues a certification signed by a platform certifier (the signer signs it), and records it. */
  @Post('issue')
  @HttpCode(201)
  @Allow('operator')
  async issue(@Body() body: IssueCertificationBody, @Req() req: AuthedRequest): Promise<CertificationView> {
    const certifier = await this.p.db.certifications.findCertifier(body.certifierId);
    const missing = new DomainError('not-found', `platform certifier ${body.certifierId} not found`);
    if (!certifier) throw missing;
    await this.scope.community(req.actor, certifier.communityId).catch(() => { throw missing; });
    return certificationView(await issueCertification(this.p, body, req.actor), this.p.urls);
  }

  /** Lists certifications, newest first: per app (`sub`), per organization (`organizationId`, `certifierOrganizationId`). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificationView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', exp: 'exp', iat: 'iat', status: 'status', sub: 'sub' });
    const f = q.filter;
    const scope = await this.scope.listScope(req.actor);
    const communityIds = f.communityId
      ? (scope.communityIds && !scope.communityIds.includes(f.communityId) ? [] : [f.communityId])
      : scope.communityIds;
    const page = await listCertifications(this.p, {
      communityIds, partyOrganizationId: scope.organizationId, organizationId: f.organizationId, certifierOrganizationId: f.certifierOrganizationId,
      templateId: f.templateId, status: f.status, sub: f.sub,
    }, q.skip, q.take, q.order);
    setContentRange(res, 'certifications', q, page.items.length, page.total);
    return page.items.map((c) => certificationView(c, this.p.urls));
  }

  /** One certification, with its JWT. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CertificationView> {
    return certificationView(await this.load(id, req.actor), this.p.urls);
  }

  /** Revokes a certification (operators, or the certifier organization's members). */
  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Body() body: RevokeCertificationBody, @Req() req: AuthedRequest): Promise<CertificationView> {
    const c = await this.load(id, req.actor);
    if (req.actor.role === 'member-admin' && req.actor.organizationId !== c.certifierOrganizationId) {
      throw new DomainError('forbidden', 'only the certifier organization (or an operator) revokes a certification');
    }
    return certificationView(await revokeCertification(this.p, { certificationId: id, reason: body.reason }, req.actor), this.p.urls);
  }
}
