import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AppConfig } from '../config/app-config.js';
import { OAuthExceptionFilter } from '../common/errors/oauth-exception.filter.js';
import { buildDataSourceOptions } from '../database/data-source.options.js';
import { SecuritySignals } from '../security/security-signals.js';
import { Metrics } from '../metrics/metrics.js';
import { SHORT_LIVED_STORE } from '../store/short-lived-store.js';
import type { SharedResources } from './shared-resources.js';

/**
 * One TypeORM registration per SharedResources: both listeners use the same data source on
 * purpose, and registering it twice makes @nestjs/typeorm warn about a duplicate name.
 */
const typeOrmModules = new WeakMap<SharedResources, DynamicModule>();

function typeOrmModuleFor(shared: SharedResources): DynamicModule {
  let module = typeOrmModules.get(shared);
  if (!module) {
    module = TypeOrmModule.forRootAsync({
      useFactory: () => buildDataSourceOptions(shared.config.database),
      dataSourceFactory: () => Promise.resolve(shared.dataSource),
    });
    typeOrmModules.set(shared, module);
  }
  return module;
}

/** Configuration, database, short-lived store and the error filter; no controllers. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(shared: SharedResources): DynamicModule {
    return {
      module: CoreModule,
      imports: [typeOrmModuleFor(shared), AuditModule],
      providers: [
        { provide: AppConfig, useValue: shared.config },
        { provide: SHORT_LIVED_STORE, useValue: shared.store },
        { provide: Metrics, useValue: (shared.metrics ??= new Metrics()) },
        { provide: APP_FILTER, useClass: OAuthExceptionFilter },
        SecuritySignals,
      ],
      exports: [AppConfig, SHORT_LIVED_STORE, Metrics, TypeOrmModule, SecuritySignals],
    };
  }
}
