import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApps } from './app/create-apps.js';
import { createShutdown } from './app/graceful-shutdown.js';
import { openSharedResources, type SharedResources } from './app/shared-resources.js';
import { createJsonLogger } from './common/logging/json-logger.js';
import { loadConfig, type AppConfig } from './config/app-config.js';

const logger = new Logger('Tessera');

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const jsonLogger = createJsonLogger(config.env.LOG_LEVEL);
  Logger.overrideLogger(jsonLogger);
  if (!config.env.KEY_ENCRYPTION_SECRET) {
    logger.warn(
      '!!! KEY_ENCRYPTION_SECRET is unset: signing keys are encrypted with an INSECURE development default. Set it before production use. !!!',
    );
  }

  let shared: SharedResources;
  try {
    shared = await openSharedResources(config);
  } catch (err) {
    logger.error(`cannot start: ${(err as Error).message}`);
    process.exit(1);
  }

  const apps = await createApps(shared, jsonLogger, config.env.LISTENERS);
  await apps.publicApp?.listen(config.env.PORT, config.env.HOST);
  await apps.adminApp?.listen(config.env.ADMIN_PORT, config.env.ADMIN_HOST);
  if (apps.publicApp) {
    logger.log(`public listener on ${await apps.publicApp.getUrl()} (issuer ${config.issuer})`);
  }
  if (apps.adminApp) {
    logger.log(`admin listener on ${await apps.adminApp.getUrl()}`);
  }

  const shutdown = createShutdown({
    apps: [apps.publicApp, apps.adminApp],
    shared,
    timeoutSeconds: config.env.SHUTDOWN_TIMEOUT,
    exit: (code) => process.exit(code),
  });
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap();
