import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Platform, TestKitPublication } from '@anchorage/authority';
import type { QueueInspector } from '@anchorage/jobs';
import { AccessGuard } from './http/access';
import { ProblemFilter } from './http/problem.filter';
import { ResponseConformanceInterceptor } from './http/response-conformance';
import { Scope } from './http/scope';
import { ValidationInterceptor } from './http/validation';
import { AttemptLimiter } from './http/attempt-limiter';
import { PLATFORM, QUEUE_INSPECTOR, SIGN_IN_LIMITER, TEST_KITS } from './http/tokens';
import { ApiTokensController } from './resources/api-tokens.controller';
import { AuditController } from './resources/audit.controller';
import { AuthController, SIGN_IN_ATTEMPTS_PER_MINUTE } from './resources/auth.controller';
import { BulkRevocationsController } from './resources/bulk-revocations.controller';
import { CasController } from './resources/cas.controller';
import { CertificateBySerialController, CertificatesController } from './resources/certificates.controller';
import { CertificationsController, CertificationTemplatesController, PlatformCertifiersController } from './resources/certifications.controller';
import { CommunitiesController } from './resources/communities.controller';
import { ConformanceController } from './resources/conformance.controller';
import { CertificateRequestsController } from './resources/certificate-requests.controller';
import { DashboardController } from './resources/dashboard.controller';
import { ReportsController } from './resources/reports.controller';
import { ExpiryNoticesController } from './resources/expiry-notices.controller';
import { InvitationsController } from './resources/invitations.controller';
import { OrganizationsController } from './resources/organizations.controller';
import { QueuesController } from './resources/queues.controller';
import { RevocationSubscriptionsController } from './resources/revocation-subscriptions.controller';
import { TestKitsController } from './resources/test-kits.controller';
import { UsersController } from './resources/users.controller';

/** The admin API: controllers over the authority's use cases, problem documents for every error. */
@Module({})
export class AppModule {
  /**
   * Binds the module to a wired platform. `validateResponses` (test deployments) checks every answer
   * against its route's contract, failing a mismatch with a 500 (http/response-conformance.ts).
   */
  static forPlatform(
    platform: Platform, opts: { signInAttemptsPerMinute?: number; queues?: QueueInspector | null; validateResponses?: boolean; testKits?: TestKitPublication | null } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        AuthController, UsersController, ApiTokensController, CommunitiesController, CasController, OrganizationsController, CertificatesController, CertificateBySerialController,
        AuditController, InvitationsController, CertificateRequestsController, DashboardController, ReportsController, BulkRevocationsController, QueuesController, ExpiryNoticesController,
        CertificationTemplatesController, PlatformCertifiersController, CertificationsController,
        RevocationSubscriptionsController,
        ConformanceController,
        TestKitsController,
      ],
      providers: [
        { provide: PLATFORM, useValue: platform },
        { provide: QUEUE_INSPECTOR, useValue: opts.queues ?? null },
        { provide: TEST_KITS, useValue: opts.testKits ?? null },
        { provide: Scope, useValue: new Scope(platform) },
        { provide: SIGN_IN_LIMITER, useValue: new AttemptLimiter(opts.signInAttemptsPerMinute ?? SIGN_IN_ATTEMPTS_PER_MINUTE, 60_000) },
        { provide: APP_GUARD, useClass: AccessGuard },
        // outermost first, so the input check's refusals are checked against the contract too
        ...(opts.validateResponses ? [{ provide: APP_INTERCEPTOR, useClass: ResponseConformanceInterceptor }] : []),
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
