import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

/** True when the suite runs against PostgreSQL (DATABASE_URL=postgres://…). */
export const usingPostgres = (): boolean => /^postgres/.test(process.env.DATABASE_URL ?? '');
export const usingRedis = (): boolean => Boolean(process.env.REDIS_URL);

export interface IsolatedDatabase {
  url: string;
  schema?: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test app: a fresh SQLite file, or a fresh PostgreSQL schema
 * in `url`'s database (default DATABASE_URL; dropped afterwards).
 */
export async function isolatedDatabase(
  url: string | undefined = process.env.DATABASE_URL,
): Promise<IsolatedDatabase> {
  if (url && /^postgres/.test(url)) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    return {
      url,
      schema,
      drop: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-'));
  return { url: `sqlite:${join(dir, 'tessera.sqlite')}`, drop: () => Promise.resolve() };
}
