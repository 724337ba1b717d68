import type { DataSource, Migration } from 'typeorm';

/**
 * Applies pending migrations, one transaction each. On PostgreSQL the run holds a session-level
 * advisory lock (per schema) for its whole length: replicas started together on an empty database
 * take turns instead of racing on the same CREATE statements (TypeORM takes no lock of its own);
 * the later ones then find nothing pending. SQLite is single-instance and runs them directly.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') {
    return dataSource.runMigrations({ transaction: 'each' });
  }
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const key = `tessera:migrations:${schema}`;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}
