import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApps } from '../../src/app/create-apps.js';
import {
  closeSharedResources,
  openSharedResources,
  type SharedResources,
} from '../../src/app/shared-resources.js';
import { loadConfig, type DatabaseConfig } from '../../src/config/app-config.js';
import { isolatedDatabase, TEST_ADMIN_TOKEN } from './test-env.js';

export interface TestApp {
  publicApp: NestFastifyApplication;
  adminApp: NestFastifyApplication;
  /** Node http servers for supertest. */
  publicServer: import('node:http').Server;
  adminServer: import('node:http').Server;
  shared: SharedResources;
  adminToken: string;
  /** The key prefix of this app's data in Redis (when REDIS_URL is set). */
  storePrefix: string;
  close(): Promise<void>;
}

/**
 * Boots the real public and admin apps exactly as main.ts does, on an isolated database
 * (SQLite file, or a PostgreSQL schema when DATABASE_URL is set) and an isolated key prefix
 * in Redis when REDIS_URL is set. `env` overrides configuration for this app; a DATABASE_URL
 * there replaces the environment's (a schema of its own is still created in it).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await isolatedDatabase(env.DATABASE_URL ?? process.env.DATABASE_URL);
  const config = loadConfig({
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    KEY_ENCRYPTION_SECRET: 'test-key-encryption-secret-0123456789abcdef',
    ISSUER: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'error',
    REDIS_URL: process.env.REDIS_URL,
    ...env,
    DATABASE_URL: db.url,
  });
  if (db.schema) {
    (config as { database: DatabaseConfig }).database = {
      ...config.database,
      type: 'postgres',
      url: db.url,
      schema: db.schema,
    };
  }
  const storePrefix = `tessera-test-${randomBytes(4).toString('hex')}:`;
  const shared = await openSharedResources(config, { storePrefix });
  const apps = await createApps(shared, false);
  const publicApp = apps.publicApp as NestFastifyApplication;
  const adminApp = apps.adminApp as NestFastifyApplication;
  await publicApp.getHttpAdapter().getInstance().ready();
  await adminApp.getHttpAdapter().getInstance().ready();
  return {
    publicApp,
    adminApp,
    publicServer: publicApp.getHttpServer(),
    adminServer: adminApp.getHttpServer(),
    shared,
    adminToken: TEST_ADMIN_TOKEN,
    storePrefix,
    close: async () => {
      await Promise.allSettled([publicApp.close(), adminApp.close()]);
      await closeSharedResources(shared);
      await db.drop();
    },
  };
}
