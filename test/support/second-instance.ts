import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApps } from '../../src/app/create-apps.js';
import {
  closeSharedResources,
  openSharedResources,
  type SharedResources,
} from '../../src/app/shared-resources.js';
import type { TestApp } from './create-test-app.js';

/**
 * Another public instance on the test app's database and short-lived store, as a replica behind
 * a load balancer. With REDIS_URL: its own database pool and Redis connection on the same schema
 * and key prefix. Without: the in-process store cannot be shared across processes, so the
 * instance shares the first one's resources object (same memory store).
 */
export async function startSecondInstance(app: TestApp): Promise<{
  publicApp: NestFastifyApplication;
  server: import('node:http').Server;
  close(): Promise<void>;
}> {
  let shared: SharedResources = app.shared;
  if (app.shared.config.redisUrl) {
    const config = app.shared.config;
    config.env.MIGRATIONS_RUN = false;
    shared = await openSharedResources(config, { storePrefix: app.storePrefix });
  }
  const { publicApp } = await createApps(shared, false, 'public');
  const fastifyApp = publicApp as NestFastifyApplication;
  await fastifyApp.getHttpAdapter().getInstance().ready();
  return {
    publicApp: fastifyApp,
    server: fastifyApp.getHttpServer(),
    close: async () => {
      await fastifyApp.close();
      if (shared !== app.shared) {
        await closeSharedResources(shared);
      }
    },
  };
}
