import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from '../database/data-source.options.js';
import { runMigrations } from '../database/run-migrations.js';
import { addressOf, describeError, ExitCode, StartupError } from '../startup/exit-codes.js';
import { DeadlineExceededError, withDeadline } from '../store/deadline.js';
import { instrumentStore } from '../metrics/instrumented-store.js';
import { Metrics } from '../metrics/metrics.js';
import { instrumentDataSource } from '../metrics/query-metrics.subscriber.js';
import { createShortLivedStore } from '../store/create-short-lived-store.js';
import type { ShortLivedStore } from '../store/short-lived-store.js';

export { StartupError };

/**
 * What both listeners of one process share: configuration, one database pool and one
 * short-lived store. Opened once before the Nest apps are created; closed after them.
 */
export interface SharedResources {
  config: AppConfig;
  dataSource: DataSource;
  store: ShortLivedStore;
  /** The process's metrics (both listeners record into it; the admin one serves /metrics). */
  metrics?: Metrics;
}

function databaseTarget(config: AppConfig): string {
  const db = config.database;
  return db.type === 'sqlite' ? `SQLite file ${db.path}` : `PostgreSQL at ${addressOf(db.url)}`;
}

/** Opens the database within STARTUP_TIMEOUT_MS (else StartupError, exit 3); a late connection is closed when it comes. */
export async function openDatabase(
  config: AppConfig,
  options: { verbose?: boolean } = {},
): Promise<DataSource> {
  const dataSource = new DataSource({
    ...buildDataSourceOptions(config.database),
    ...(options.verbose ? { logging: ['query', 'schema', 'error', 'migration'] as const } : {}),
  });
  const timeoutMs = config.env.STARTUP_TIMEOUT_MS;
  const opening = dataSource.initialize();
  try {
    await withDeadline(opening, timeoutMs);
    return dataSource;
  } catch (err) {
    opening.then((ds) => ds.destroy()).catch(() => undefined);
    const why =
      err instanceof DeadlineExceededError ? `no answer within ${timeoutMs} ms` : describeError(err);
    throw new StartupError(
      `DATABASE_URL: cannot reach ${databaseTarget(config)} (${why}); check DATABASE_URL, or raise STARTUP_TIMEOUT_MS`,
      ExitCode.unreachable,
    );
  }
}

export async function openSharedResources(
  config: AppConfig,
  options: { storePrefix?: string } = {},
): Promise<SharedResources> {
  const dataSource = await openDatabase(config);
  try {
    if (config.env.MIGRATIONS_RUN) {
      await runMigrations(dataSource);
    }
  } catch (err) {
    await dataSource.destroy();
    throw new StartupError(`database migration failed: ${describeError(err)}`, ExitCode.migration);
  }
  let store: ShortLivedStore;
  try {
    store = await createShortLivedStore(config, options.storePrefix);
  } catch (err) {
    await dataSource.destroy();
    if (err instanceof StartupError) {
      throw err;
    }
    throw new StartupError(
      `REDIS_URL: short-lived store unreachable: ${describeError(err)}`,
      ExitCode.unreachable,
    );
  }
  const metrics = new Metrics();
  if (config.env.METRICS_ENABLED) {
    instrumentDataSource(dataSource, metrics);
    store = instrumentStore(store, metrics);
  }
  return { config, dataSource, store, metrics };
}

export async function closeSharedResources(shared: SharedResources): Promise<void> {
  await shared.store.close();
  if (shared.dataSource.isInitialized) {
    await shared.dataSource.destroy();
  }
}
