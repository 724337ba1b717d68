import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import { BoundedPgClient } from './bounded-pg-client.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

/** One definition shared by the app, the tests and the migration CLI (ormconfig.ts). Never synchronize. */
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false } as const;
  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') {
      mkdirSync(dirname(db.path), { recursive: true });
    }
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: true,
      timeout: 5000,
      prepareDatabase: (conn: { pragma: (p: string) => unknown }) => {
        conn.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    schema: db.schema,
    extra: {
      max: 20,
      connectionTimeoutMillis: 2000,
      // node-postgres's own deadline per query: a hung server (stopped, or a network that drops
      // packets) otherwise leaves the request waiting forever on an open connection. A connection
      // whose query missed it is dropped (BoundedPgClient), never reused.
      ...(db.timeoutMs ? { query_timeout: db.timeoutMs, Client: BoundedPgClient } : {}),
      ...(db.schema ? { options: `-c search_path=${db.schema}` } : {}),
    },
  };
}
