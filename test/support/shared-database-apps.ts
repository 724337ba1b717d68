import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApps } from '../../src/app/create-apps.js';
import {
  closeSharedResources,
  openSharedResources,
  type SharedResources,
} from '../../src/app/shared-resources.js';
import { loadConfig, type DatabaseConfig } from '../../src/config/app-config.js';
import { isolatedDatabase, TEST_ADMIN_TOKEN } from './test-env.js';

export interface Instance {
  publicApp: NestFastifyApplication;
  shared: SharedResources;
}

/**
 * Several Tessera instances (public listener only) sharing ONE database, as replicas behind a
 * load balancer do: one isolated SQLite file or PostgreSQL schema, and one Redis prefix when
 * REDIS_URL is set. Booted concurrently, so start-up races are exercised.
 */
export async function startInstancesSharingDatabase(
  count: number,
  env: Record<string, string> = {},
): Promise<{
  instances: Instance[];
  /** Boots one more instance on the same database with extra env (rejects if it cannot start). */
  startAnother(extraEnv: Record<string, string>): Promise<Instance>;
  close(): Promise<void>;
}> {
  const db = await isolatedDatabase();
  const prefix = `tessera-test-shared-${Math.random().toString(36).slice(2, 10)}:`;
  const configFor = (extraEnv: Record<string, string> = {}) => {
    const config = loadConfig({
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      KEY_ENCRYPTION_SECRET: 'test-key-encryption-secret-0123456789abcdef',
      ISSUER: 'http://127.0.0.1:3000',
      LOG_LEVEL: 'error',
      REDIS_URL: process.env.REDIS_URL,
      ...env,
      ...extraEnv,
      DATABASE_URL: db.url,
    });
    if (db.schema) {
      (config as { database: DatabaseConfig }).database = {
        type: 'postgres',
        url: db.url,
        schema: db.schema,
      };
    }
    return config;
  };
  // Migrations run once, as a deployment would, before the instances race on keys.
  const first = await openSharedResources(configFor(), { storePrefix: prefix });
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, () =>
      openSharedResources(loadConfigWithoutMigrations(configFor()), { storePrefix: prefix }),
    ),
  );
  const shareds = [first, ...rest];
  const apps = await Promise.all(shareds.map((shared) => createApps(shared, false, 'public')));
  const instances = apps.map((a, i) => ({
    publicApp: a.publicApp as NestFastifyApplication,
    shared: shareds[i] as SharedResources,
  }));
  const startAnother = async (extraEnv: Record<string, string>): Promise<Instance> => {
    const shared = await openSharedResources(loadConfigWithoutMigrations(configFor(extraEnv)), {
      storePrefix: prefix,
    });
    shareds.push(shared);
    const { publicApp } = await createApps(shared, false, 'public');
    const instance = { publicApp: publicApp as NestFastifyApplication, shared };
    instances.push(instance);
    return instance;
  };
  return {
    instances,
    startAnother,
    close: async () => {
      await Promise.allSettled(instances.map((i) => i.publicApp.close()));
      await Promise.allSettled(shareds.map((s) => closeSharedResources(s)));
      await db.drop();
    },
  };
}

function loadConfigWithoutMigrations<T extends { env: { MIGRATIONS_RUN: boolean } }>(config: T): T {
  config.env.MIGRATIONS_RUN = false;
  return config;
}
