import { createClient } from 'redis';
import { MemoryShortLivedStore } from '../../src/store/memory-short-lived.store.js';
import type { TestApp } from './create-test-app.js';

/** Every row of every table in the test app's database, as `table: JSON` lines. */
export async function dumpDatabase(app: TestApp): Promise<string[]> {
  const ds = app.shared.dataSource;
  const database = app.shared.config.database;
  const schema = 'schema' in database ? database.schema : undefined;
  const tables: { name: string }[] = schema
    ? await ds.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`, [
        schema,
      ])
    : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  const lines: string[] = [];
  for (const { name } of tables) {
    const from = schema ? `"${schema}"."${name}"` : `"${name}"`;
    const rows: unknown[] = await ds.query(`SELECT * FROM ${from}`);
    for (const row of rows) {
      lines.push(`${name}: ${JSON.stringify(row)}`);
    }
  }
  return lines;
}

/** Every key and value this app holds in the short-lived store (Redis prefix scan or memory map). */
export async function dumpStore(app: TestApp): Promise<string[]> {
  const store = app.shared.store;
  if (store instanceof MemoryShortLivedStore) {
    return store.snapshot().map(([k, v]) => `${k} = ${v}`);
  }
  const url = app.shared.config.redisUrl;
  if (!url) {
    throw new Error('unknown short-lived store');
  }
  const redis = createClient({ url });
  await redis.connect();
  try {
    const lines: string[] = [];
    for await (const keys of redis.scanIterator({ MATCH: `${app.storePrefix}*`, COUNT: 500 })) {
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? JSON.stringify(await redis.hGetAll(key))
              : type === 'set'
                ? JSON.stringify(await redis.sMembers(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lRange(key, 0, -1))
                  : `<${type}>`;
        lines.push(`${key} = ${value ?? ''}`);
      }
    }
    return lines;
  } finally {
    await redis.close();
  }
}
