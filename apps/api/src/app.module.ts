import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Platform } from '@anchorage/authority';
import { ProblemFilter } from './http/problem.filter';
import { PLATFORM } from './http/tokens';
import { AuditController } from './resources/audit.controller';
import { CasController } from './resources/cas.controller';
import { CertificateBySerialController, CertificatesController } from './resources/certificates.controller';
import { CommunitiesController } from './resources/communities.controller';
import { OrganizationsController } from './resources/organizations.controller';

/** The admin API: controllers over the authority's use cases, problem documents for every error. */
@Module({})
export class AppModule {
  /** Binds the module to a wired platform. */
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: AppModule,
      controllers: [CommunitiesController, CasController, OrganizationsController, CertificatesController, CertificateBySerialController, AuditController],
      providers: [{ provide: PLATFORM, useValue: platform }, { provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
