import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  approveCertificateRequest, cancelCertificateRequest, certificateRequestView, certificateView, DomainError, rejectCertificateRequest,
  submitCertificateRequest, type Platform,
} from '@anchorage/authority';
import type { CertificateRequestView, ListQueryParams, ReasonBody, RequestApprovalView, SubmitCertificateRequestBody } from '@anchorage/contracts';
import type { CertificateRequestRecord } from '@anchorage/db';
import { Allow, type AuthedRequest } from '../http/access';
import { csrOf } from '../http/csr';
import { parseListQuery, setContentRange } from '../http/list-query';
import { Scope } from '../http/scope';
import { PLATFORM } from '../http/tokens';

/** Certificate requests: members submit and cancel, operators approve (issue) or reject. */
@ApiTags('certificate-requests')
@ApiBearerAuth()
@Controller('api/v1/certificate-requests')
export class CertificateRequestsController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  private async load(id: string, req: AuthedRequest): Promise<CertificateRequestRecord> {
    const r = await this.p.db.requests.find(id);
    if (!r) throw new DomainError('not-found', `certificate request ${id} not found`);
    const org = await this.p.db.organizations.find(r.organizationId);
    if (!org) throw new DomainError('not-found', `certificate request ${id} not found`);
    await this.scope.organization(req.actor, org).catch(() => {
      throw new DomainError('not-found', `certificate request ${id} not found`);
    });
    return r;
  }

  /** Submits a request for the organization's SAN URIs with a CSR (PEM in `csr`, or base64 DER in `csrDerBase64`). */
  @Post()
  @Allow('member-admin', 'operator')
  async submit(@Body() body: SubmitCertificateRequestBody, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificateRequestView> {
    await this.scope.loadOrganization(req.actor, body.organizationId);
    const out = await submitCertificateRequest(this.p, { ...body, csr: csrOf(body) }, req.actor);
    res.status(out.created ? 201 : 200);
    return certificateRequestView(out.request);
  }

  /** Lists requests, newest first (filter: organizationId, status, q: text in a SAN URI or the organization name). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificateRequestView[]> {
    const q = parseListQuery(query, { createdAt: 'createdAt', status: 'status', profile: 'profile', decidedAt: 'decidedAt' });
    const scope = await this.scope.listScopeFiltered(req.actor, q.filter.organizationId);
    const page = await this.p.db.requests.list({ organizationId: scope.organizationId, status: q.filter.status, communityIds: scope.communityIds, q: q.filter.q }, q.skip, q.take, q.order);
    setContentRange(res, 'certificate-requests', q, page.items.length, page.total);
    return page.items.map(certificateRequestView);
  }

  /** One request. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CertificateRequestView> {
    return certificateRequestView(await this.load(id, req));
  }

  /** Approves a request: the certificate is issued; returns both. */
  @Post(':id/approve')
  @HttpCode(200)
  @Allow('operator')
  async approve(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RequestApprovalView> {
    const out = await approveCertificateRequest(this.p, await this.load(id, req), req.actor);
    const issuer = (await this.p.db.cas.find(out.certificate.issuerId))!;
    return { request: certificateRequestView(out.request), certificate: certificateView(out.certificate, issuer, this.p.urls) };
  }

  /** Rejects a request with a reason. */
  @Post(':id/reject')
  @HttpCode(200)
  @Allow('operator')
  async reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonBody, @Req() req: AuthedRequest): Promise<CertificateRequestView> {
    return certificateRequestView(await rejectCertificateRequest(this.p, await this.load(id, req), body.reason, req.actor));
  }

  /** Cancels a waiting request. */
  @Post(':id/cancel')
  @HttpCode(200)
  @Allow('member-admin', 'operator')
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CertificateRequestView> {
    return certificateRequestView(await cancelCertificateRequest(this.p, await this.load(id, req), req.actor));
  }
}
