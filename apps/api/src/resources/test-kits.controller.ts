import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, generateTestKit, testKitView, type Platform, type TestKitContent, type TestKitPublication } from '@anchorage/authority';
import type { TestKitView } from '@anchorage/contracts';
import { Allow, type AuthedRequest } from '../http/access';
import { Scope } from '../http/scope';
import { PLATFORM, TEST_KITS } from '../http/tokens';

/**
 * A community's test kit (docs/test-certificates.md): certificates with known keys that relying servers
 * must reject, under a TEST anchor kept apart from the community's CAs. Its files are public under
 * /pki/communities/{id}/test-kit; here an operator makes it and anyone signed in reads its index.
 */
@ApiTags('communities')
@ApiBearerAuth()
@Controller('api/v1/communities/:id/test-kit')
export class TestKitsController {
  constructor(
    @Inject(PLATFORM) private readonly p: Platform, private readonly scope: Scope,
    /** What /pki serves the kits from in this process: told of a new kit at once (other processes read it within TEST_KIT_CACHE_MS). */
    @Inject(TEST_KITS) private readonly published: TestKitPublication | null,
  ) {}

  /** Creates the community's test kit (201), or regenerates it (200): new cases and CRLs under the same TEST CAs. */
  @Post()
  @HttpCode(201)
  @Allow('operator')
  async generate(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<TestKitView> {
    await this.scope.community(req.actor, id);
    const out = await generateTestKit(this.p, id, req.actor);
    this.published?.forget(id);
    res.status(out.created ? 201 : 200);
    return testKitView(out.content, this.p.urls);
  }

  /** The community's test kit: every case, what a relying server must answer to it, and its files' public links. */
  @Get()
  @Allow('operator', 'auditor', 'member-admin')
  async show(@Param('id', ParseUUIDPipe) id: string, @Req() req: AuthedRequest): Promise<TestKitView> {
    await this.scope.community(req.actor, id);
    const kit = await this.p.db.testKits.find(id);
    if (!kit) throw new DomainError('not-found', `community ${id} has no test kit`);
    return testKitView(kit.content as TestKitContent, this.p.urls);
  }
}
