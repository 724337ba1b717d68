import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectStartupGarbage, limitHeapGrowth } from './app/heap-tuning.js';
import { createApps, type TesseraApps } from './app/create-apps.js';
import { createShutdown } from './app/graceful-shutdown.js';
import { openSharedResources, type SharedResources } from './app/shared-resources.js';
import { createJsonLogger, JsonLogger } from './common/logging/json-logger.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';
import { ExitCode, KeyDecryptionError, StartupError, describeError } from './startup/exit-codes.js';

const logger = new Logger('Tessera');

/** Prints the one line of a start-up failure (no stack trace) and exits with its code. */
function fail(err: unknown): never {
  if (err instanceof StartupError) {
    logger.error(`cannot start: ${err.message}`);
    process.exit(err.exitCode);
  }
  if (err instanceof KeyDecryptionError) {
    logger.error(`cannot start: ${err.message}`);
    process.exit(ExitCode.keySecret);
  }
  logger.error(`cannot start: ${describeError(err)}`, err instanceof Error ? err.stack : undefined);
  process.exit(ExitCode.unexpected);
}

/** Binds one listener; a port in use (or not permitted) names the variable to change. */
async function listen(
  app: NestFastifyApplication,
  port: number,
  host: string,
  vars: { port: string; host: string },
): Promise<AddressInfo> {
  try {
    await app.listen(port, host);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why =
        code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'is not permitted' : 'is not local';
      throw new StartupError(
        `${vars.port}: ${host}:${port} ${why} (${code}); set ${vars.port} (or ${vars.host}) to a free address`,
        ExitCode.bind,
      );
    }
    throw err;
  }
  return app.getHttpServer().address() as AddressInfo;
}

/** The apps' logger: Nest's own report of a failed listen is left to the one line of fail(). */
class AppLogger extends JsonLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (
      rest.at(-1) === 'NestApplication' &&
      typeof message === 'string' &&
      /^Error: listen E/.test(message)
    ) {
      return;
    }
    super.error(message, ...rest);
  }
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

async function bootstrap(): Promise<void> {
  limitHeapGrowth();
  loadDotEnv();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    Logger.overrideLogger(new JsonLogger('info'));
    fail(new StartupError(describeError(err), ExitCode.config));
  }
  Logger.overrideLogger(createJsonLogger(config.env.LOG_LEVEL));
  if (!config.env.KEY_ENCRYPTION_SECRET) {
    logger.warn(
      '!!! KEY_ENCRYPTION_SECRET is unset: signing keys are encrypted with an INSECURE development default. Set it before production use. !!!',
    );
  }

  let shared: SharedResources;
  let apps: TesseraApps;
  try {
    shared = await openSharedResources(config);
    apps = await createApps(shared, new AppLogger(config.env.LOG_LEVEL), config.env.LISTENERS);
    if (apps.publicApp) {
      const bound = await listen(apps.publicApp, config.env.PORT, config.env.HOST, {
        port: 'PORT',
        host: 'HOST',
      });
      logger.log(`public listener on ${urlOf(bound)} (issuer ${config.issuer})`);
    }
    if (apps.adminApp) {
      const bound = await listen(apps.adminApp, config.env.ADMIN_PORT, config.env.ADMIN_HOST, {
        port: 'ADMIN_PORT',
        host: 'ADMIN_HOST',
      });
      logger.log(`admin listener on ${urlOf(bound)}`);
    }
  } catch (err) {
    fail(err);
  }
  collectStartupGarbage();

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
