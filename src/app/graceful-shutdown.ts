import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { closeSharedResources, type SharedResources } from './shared-resources.js';

export interface ShutdownOptions {
  apps: (INestApplication | undefined)[];
  shared: SharedResources;
  /** Seconds allowed for draining before the process exits with 1 anyway (SHUTDOWN_TIMEOUT). */
  timeoutSeconds: number;
  exit: (code: number) => void;
}

/**
 * The SIGTERM/SIGINT path: stop accepting (Fastify closes the listeners and idle keep-alive
 * connections, and answers 503 on connections that send more), wait for in-flight requests,
 * then close the database pool and the Redis connections, and exit 0. If that takes longer
 * than the timeout the process exits 1. Calling it again while it runs does nothing.
 */
export function createShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const logger = new Logger('Shutdown');
  let running: Promise<void> | undefined;
  const run = async (signal: string): Promise<void> => {
    logger.log(`${signal}: draining in-flight requests`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${options.timeoutSeconds}s; exiting`);
      options.exit(1);
    }, options.timeoutSeconds * 1000);
    timer.unref();
    const apps = options.apps.filter((app): app is INestApplication => app !== undefined);
    // Fastify first: Nest's app.close() runs the modules' destroy hooks before it closes the
    // HTTP server, which would pull resources from under requests still in flight.
    // A keep-alive connection whose in-flight request finished turns idle after close() began;
    // Node closes idle connections only once, so sweep them until the servers are closed.
    const servers = apps.map((app) => app.getHttpServer() as Server);
    const sweeper = setInterval(() => servers.forEach((server) => server.closeIdleConnections()), 50);
    sweeper.unref();
    await Promise.allSettled(
      apps.map((app) => (app.getHttpAdapter().getInstance() as { close(): Promise<void> }).close()),
    );
    clearInterval(sweeper);
    await Promise.allSettled(apps.map((app) => app.close()));
    await closeSharedResources(options.shared);
    clearTimeout(timer);
    logger.log('stopped');
    options.exit(0);
  };
  return (signal: string) => (running ??= run(signal));
}
