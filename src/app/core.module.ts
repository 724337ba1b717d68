import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AppConfig } from '../config/app-config.js';
import { OAuthExceptionFilter } from '../common/errors/oauth-exception.filter.js';
import { buildDataSourceOptions } from '../database/data-source.options.js';
import { SHORT_LIVED_STORE } from '../store/short-lived-store.js';
import type { SharedResources } from './shared-resources.js';

/** Configuration, database, short-lived store and the error filter; no controllers. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(shared: SharedResources): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => buildDataSourceOptions(shared.config.database),
          dataSourceFactory: () => Promise.resolve(shared.dataSource),
        }),
        AuditModule,
      ],
      providers: [
        { provide: AppConfig, useValue: shared.config },
        { provide: SHORT_LIVED_STORE, useValue: shared.store },
        { provide: APP_FILTER, useClass: OAuthExceptionFilter },
      ],
      exports: [AppConfig, SHORT_LIVED_STORE, TypeOrmModule],
    };
  }
}
