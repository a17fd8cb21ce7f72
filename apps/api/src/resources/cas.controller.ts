import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { bulkRevocationView, caImpact, caView, crlView, DomainError, endIssuingCa, generateCrl, installIssuingCaCertificate, type EndIssuingCaInput, type Platform } from '@anchorage/authority';
import type { CaCertificateInstallation, CaImpactView, CaView, CrlView, EndedCaView, InstallCaCertificateBody, ListQueryParams, ReasonBody, RetireCaBody } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { parseListQuery, setContentRange } from '../http/list-query';
import { PLATFORM } from '../http/tokens';

/** Certificate authorities and their CRLs. */
@ApiTags('cas')
@ApiBearerAuth()
@Controller('api/v1/cas')
export class CasController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope) {}

  private async load(id: string, req: AuthedRequest) {
    const ca = await this.p.db.cas.find(id);
    if (!ca) throw new DomainError('not-found', `CA ${id} not found`);
    await this.scope.ca(req.actor, ca);
    return ca;
  }

  /** One CA. */
  @Get(':id')
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CaView> {
    return caView(await this.load(id, req), this.p.urls);
  }

  /**
   * What retiring the CA or declaring it compromised would do, before deciding: the live certificates
   * it issued (all revoked then), and whether its own certificate goes on its parent's CRL here.
   */
  @Get(':id/impact')
  @Allow('operator', 'auditor')
  async impact(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CaImpactView> {
    return caImpact(this.p, await this.load(id, req));
  }

  /**
   * Installs the certificate an offline root signed for a CA awaiting one (the CSR of `csrPem`),
   * with that root's self-signed certificate; a refusal changes nothing.
   */
  @Post(':id/certificate')
  @HttpCode(200)
  @Allow('operator')
  async installCertificate(@Param('id', ParseUUIDPipe) id: string, @Body() body: InstallCaCertificateBody, @Req() req: AuthedRequest): Promise<CaCertificateInstallation> {
    await this.load(id, req);
    const out = await installIssuingCaCertificate(this.p, { caId: id, certificate: body.certificatePem, rootCertificate: body.rootCertificatePem }, req.actor);
    return { ca: caView(out.ca, this.p.urls), root: caView(out.root, this.p.urls), warnings: out.warnings };
  }

  /**
   * Retires an active issuing CA (`revocationReason`: cessationOfOperation, the default, or
   * superseded): it issues nothing more, its certificate is revoked on the root's CRL, and a bulk
   * revocation of every certificate it issued is queued.
   */
  @Post(':id/retire')
  @HttpCode(200)
  @Allow('operator')
  async retire(@Param('id', ParseUUIDPipe) id: string, @Body() body: RetireCaBody, @Req() req: AuthedRequest): Promise<EndedCaView> {
    return this.end(id, { as: 'retired', reason: body.reason, revocationReason: body.revocationReason }, req);
  }

  /** Declares an issuing CA compromised: as a retirement, with cACompromise for the CA and everything it issued. */
  @Post(':id/compromise')
  @HttpCode(200)
  @Allow('operator')
  async compromise(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonBody, @Req() req: AuthedRequest): Promise<EndedCaView> {
    return this.end(id, { as: 'compromised', reason: body.reason }, req);
  }

  private async end(id: string, input: EndIssuingCaInput, req: AuthedRequest): Promise<EndedCaView> {
    await this.load(id, req);
    const out = await endIssuingCa(this.p, id, input, req.actor);
    return { ca: caView(out.ca, this.p.urls), bulkRevocation: bulkRevocationView(out.bulkRevocation), parentCrlNumber: out.parentCrlNumber, notice: out.notice };
  }

  /** Generates and publishes a new CRL for the CA now. */
  @Post(':id/crl')
  @HttpCode(201)
  @Allow('operator')
  async generate(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<CrlView> {
    await this.load(id, req);
    const out = await generateCrl(this.p, id, req.actor);
    return crlView(out.crl, this.p.urls);
  }

  /** CRL history of the CA, newest first. */
  @Get(':id/crls')
  @Allow('operator', 'auditor', 'member-admin')
  async crls(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListQueryParams, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<CrlView[]> {
    await this.load(id, req);
    const q = parseListQuery(query);
    const page = await this.p.db.crls.list(id, q.skip, q.take);
    setContentRange(res, 'crls', q, page.items.length, page.total);
    return page.items.map((c) => crlView(c, this.p.urls));
  }

  /** One CRL of the CA's history, DER (`application/pkix-crl`), for download. */
  @Get(':id/crls/:crlNumber')
  @Allow('operator', 'auditor', 'member-admin')
  async crlDer(@Param('id', ParseUUIDPipe) id: string, @Param('crlNumber') crlNumber: string, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.load(id, req);
    // CRL numbers are stored as PostgreSQL bigint: a larger one cannot exist (and would fail the query)
    if (!/^\d{1,19}$/.test(crlNumber) || BigInt(crlNumber) > 9223372036854775807n) throw new DomainError('validation', 'the CRL number must be a whole number below 2^63');
    const crl = await this.p.db.reports.crlByNumber(id, BigInt(crlNumber));
    if (!crl || !crl.der) throw new DomainError('not-found', `CRL ${crlNumber} of CA ${id} not found`);
    res.status(200).type('application/pkix-crl').setHeader('Content-Disposition', `attachment; filename="${id}-${crlNumber}.crl"`);
    res.send(Buffer.from(crl.der));
  }
}
