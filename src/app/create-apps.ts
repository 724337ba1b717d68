import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LoggerService } from '@nestjs/common';
import { AdminAppModule } from './admin-app.module.js';
import { configureApp } from './configure-app.js';
import { createFastifyAdapter } from './fastify-adapter.js';
import { setupAdminOpenApi } from './openapi.js';
import { PublicAppModule } from './public-app.module.js';
import type { SharedResources } from './shared-resources.js';

export interface TesseraApps {
  publicApp?: NestFastifyApplication;
  adminApp?: NestFastifyApplication;
}

/** Builds and initialises the listeners' Nest apps (not yet listening). Used by main.ts and tests. */
export async function createApps(
  shared: SharedResources,
  logger: LoggerService | false,
  which: 'all' | 'public' | 'admin' = 'all',
): Promise<TesseraApps> {
  const apps: TesseraApps = {};
  if (which !== 'admin') {
    const app = await NestFactory.create<NestFastifyApplication>(
      PublicAppModule.forRoot(shared),
      createFastifyAdapter(shared.config),
      { logger, abortOnError: false },
    );
    await configureApp(app, shared.config, 'public');
    await app.init();
    apps.publicApp = app;
  }
  if (which !== 'public') {
    const app = await NestFactory.create<NestFastifyApplication>(
      AdminAppModule.forRoot(shared),
      createFastifyAdapter(shared.config, 'admin'),
      { logger, abortOnError: false },
    );
    await configureApp(app, shared.config, 'admin');
    setupAdminOpenApi(app);
    await app.init();
    apps.adminApp = app;
  }
  return apps;
}
