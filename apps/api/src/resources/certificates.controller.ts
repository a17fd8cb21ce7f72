import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  certificateView, crlView, DomainError, issueCertificate, issueWithGeneratedKey, releaseHold, revokeCertificate, type Platform, type Revocation,
} from '@anchorage/authority';
import type { CertificateView, IssueCertificateBody, ListQueryParams, RevocationView, RevokeCertificateBody } from '@anchorage/contracts';
import type { CertificateRecord } from '@anchorage/db';
import { describeExtensions } from '@anchorage/pki';
import { Allow, type AuthedRequest } from '../http/access';
import { csrOf } from '../http/csr';
import { Scope } from '../http/scope';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/** Leaf certificates: issue from CSR, list, show, revoke, hold and release. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  private async load(id: string, req: AuthedRequest): Promise<CertificateRecord> {
    const c = await this.p.db.certificates.find(id);
    if (!c) throw new DomainError('not-found', `certificate ${id} not found`);
    await this.scope.certificate(req.actor, c);
    return c;
  }

  private async view(c: CertificateRecord): Promise<CertificateView> {
    const issuer = await this.p.db.cas.find(c.issuerId);
    if (!issuer) throw new DomainError('not-found', `CA ${c.issuerId} not found`);
    return certificateView(c, issuer, this.p.urls);
  }

  /**
   * Issues a certificate from a PKCS#10 CSR (PEM, or DER as base64 in `csrDerBase64`), or, with
   * `generateKey: { keyType?, pkcs12Password }` instead, for a key the platform generates and
   * returns once as `pkcs12Base64` (communities whose policy allows generated keys).
   */
  @Post()
  @Allow('operator')
  async issue(@Body() body: IssueCertificateBody, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificateView> {
    await this.scope.issuingOrganization(req.actor, body.organizationId);
    // the edge let through a CSR or generateKey, never both (issueCertificateBody)
    if (body.generateKey) {
      const { keyType, pkcs12Password } = body.generateKey;
      const out = await issueWithGeneratedKey(this.p, {
        organizationId: body.organizationId, profile: body.profile, sanUris: body.sanUris ?? [], keyType, pkcs12Password,
        validityDays: body.validityDays, requestId: body.requestId,
      }, req.actor);
      res.status(out.created ? 201 : 200);
      res.setHeader('Cache-Control', 'no-store'); // the body carries a private key (encrypted, but once only)
      return certificateView(out.certificate, out.issuer, this.p.urls, out);
    }
    const out = await issueCertificate(this.p, { ...body, csr: csrOf(body) }, req.actor);
    res.status(out.created ? 201 : 200);
    return certificateView(out.certificate, out.issuer, this.p.urls);
  }

  /** Lists certificates, newest first (filter: organizationId, issuerId, status, serial prefix, san text, q: one search box). */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async list(@Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CertificateView[]> {
    const q = parseListQuery(query, { notAfter: 'notAfter', notBefore: 'notBefore', createdAt: 'createdAt', status: 'status', profile: 'profile' });
    const f = q.filter;
    const scope = await this.scope.listScope(req.actor);
    if (scope.organizationId && f.organizationId && f.organizationId !== scope.organizationId) throw new DomainError('not-found', `organization ${f.organizationId} not found`);
    const page = await this.p.db.certificates.list({
      organizationId: scope.organizationId ?? f.organizationId, issuerId: f.issuerId, status: f.status, serialHex: f.serial?.toLowerCase(), san: f.san, q: f.q,
      communityIds: scope.communityIds,
    }, q.skip, q.take, q.order);
    setContentRange(res, 'certificates', q, page.items.length, page.total);
    return Promise.all(page.items.map((c) => this.view(c)));
  }

  /** One certificate, with its extensions decoded. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CertificateView> {
    const c = await this.load(id, req);
    return { ...(await this.view(c)), ...(c.der ? { extensions: describeExtensions(c.der) } : {}) };
  }

  /** Revokes (or holds, with reason certificateHold); returns once the CRL lists the serial. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('operator', 'member-admin')
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Body() body: RevokeCertificateBody, @Req() req: AuthedRequest): Promise<RevocationView> {
    await this.load(id, req);
    return this.revocation(await revokeCertificate(this.p, { certificate: { certificateId: id }, reason: body.reason, invalidityDate: body.invalidityDate }, req.actor));
  }

  /** Releases a hold; returns once the CRL no longer lists the serial. */
  @Post(':id/release-hold')
  @HttpCode(200)
  @Allow('operator')
  async release(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<RevocationView> {
    await this.load(id, req);
    return this.revocation(await releaseHold(this.p, { certificateId: id }, req.actor));
  }

  private async revocation(r: Revocation): Promise<RevocationView> {
    return { certificate: await this.view(r.certificate), crl: crlView(r.crl, this.p.urls) };
  }
}

/** Revocation by issuing CA and serial (what the CLI's `cert revoke --ca --serial` calls). */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('api/v1/cas/:caId/certificates/:serial')
export class CertificateBySerialController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  /** Revokes by serial. */
  @Post('revoke')
  @HttpCode(200)
  @Allow('operator')
  async revoke(@Param('caId', ParseUUIDPipe) caId: string, @Param('serial') serial: string, @Body() body: RevokeCertificateBody, @Req() req: AuthedRequest): Promise<RevocationView> {
    const ca = await this.p.db.cas.find(caId);
    if (!ca) throw new DomainError('not-found', `CA ${caId} not found`);
    await this.scope.ca(req.actor, ca);
    const r = await revokeCertificate(this.p, { certificate: { caId, serialHex: serial }, reason: body.reason, invalidityDate: body.invalidityDate }, req.actor);
    const issuer = (await this.p.db.cas.find(r.certificate.issuerId))!;
    return { certificate: certificateView(r.certificate, issuer, this.p.urls), crl: crlView(r.crl, this.p.urls) };
  }
}
