import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { ModuleMetadata } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { configureApp } from '../../src/app/configure-app.js';
import { CoreModule } from '../../src/app/core.module.js';
import { createFastifyAdapter } from '../../src/app/fastify-adapter.js';
import {
  closeSharedResources,
  openSharedResources,
  type SharedResources,
} from '../../src/app/shared-resources.js';
import { loadConfig, type DatabaseConfig } from '../../src/config/app-config.js';
import { oauthValidationPipe } from '../../src/common/http/validation.pipe.js';
import { isolatedDatabase, TEST_ADMIN_TOKEN } from './test-env.js';

export interface ModuleTestApp {
  app: NestFastifyApplication;
  server: import('node:http').Server;
  shared: SharedResources;
  close(): Promise<void>;
}

/**
 * A public-surface Nest app (CoreModule, the OAuth validation pipe, configureApp 'public', the
 * real Fastify adapter) around the given modules and test-only controllers, on an isolated
 * database. For exercising guards and strategies before their real controllers exist.
 */
export async function createModuleTestApp(metadata: ModuleMetadata): Promise<ModuleTestApp> {
  const db = await isolatedDatabase();
  const config = loadConfig({
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ISSUER: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'error',
    REDIS_URL: process.env.REDIS_URL,
    DATABASE_URL: db.url,
  });
  if (db.schema) {
    (config as { database: DatabaseConfig }).database = { type: 'postgres', url: db.url, schema: db.schema };
  }
  const shared = await openSharedResources(config, {
    storePrefix: `tessera-test-${randomBytes(4).toString('hex')}:`,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [CoreModule.forRoot(shared), ...(metadata.imports ?? [])],
    controllers: metadata.controllers ?? [],
    providers: [{ provide: APP_PIPE, useFactory: oauthValidationPipe }, ...(metadata.providers ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), {
    logger: false,
  });
  await configureApp(app, config, 'public');
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    server: app.getHttpServer(),
    shared,
    close: async () => {
      await app.close();
      await closeSharedResources(shared);
      await db.drop();
    },
  };
}
