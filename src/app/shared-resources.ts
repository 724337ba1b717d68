import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from '../database/data-source.options.js';
import { createShortLivedStore } from '../store/create-short-lived-store.js';
import type { ShortLivedStore } from '../store/short-lived-store.js';

/**
 * What both listeners of one process share: configuration, one database pool and one
 * short-lived store. Opened once before the Nest apps are created; closed after them.
 */
export interface SharedResources {
  config: AppConfig;
  dataSource: DataSource;
  store: ShortLivedStore;
}

export class StartupError extends Error {}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return describe(err.errors[0]);
  }
  return err instanceof Error ? err.message || err.name : String(err);
}

export async function openSharedResources(
  config: AppConfig,
  options: { storePrefix?: string } = {},
): Promise<SharedResources> {
  const dataSource = new DataSource(buildDataSourceOptions(config.database));
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new StartupError(`database unreachable (${config.database.type}): ${describe(err)}`);
  }
  try {
    if (config.env.MIGRATIONS_RUN) {
      await dataSource.runMigrations({ transaction: 'each' });
    }
  } catch (err) {
    await dataSource.destroy();
    throw new StartupError(`database migration failed: ${describe(err)}`);
  }
  let store: ShortLivedStore;
  try {
    store = await createShortLivedStore(config, options.storePrefix);
  } catch (err) {
    await dataSource.destroy();
    throw new StartupError(`short-lived store (Redis) unreachable: ${describe(err)}`);
  }
  return { config, dataSource, store };
}

export async function closeSharedResources(shared: SharedResources): Promise<void> {
  await shared.store.close();
  if (shared.dataSource.isInitialized) {
    await shared.dataSource.destroy();
  }
}
