import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.options.js';
import { entities } from '../../src/database/entities.js';
import { migrations } from '../../src/database/migrations/index.js';
import { runMigrations } from '../../src/database/run-migrations.js';
import { schemaDrift } from '../support/schema-drift.js';
import { isolatedDatabase, usingPostgres, type IsolatedDatabase } from '../support/test-env.js';

/** Table names the entities map to: every table the migrations must create. */
function entityTables(ds: DataSource): string[] {
  return entities.map((e) => ds.getMetadata(e).tableName).sort();
}

describe(`migrations (${usingPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: IsolatedDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await isolatedDatabase();
    const config: DatabaseConfig = db.schema
      ? { type: 'postgres', url: db.url, schema: db.schema }
      : { type: 'sqlite', path: db.url.slice('sqlite:'.length) };
    ds = new DataSource(buildDataSourceOptions(config));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  async function tablesPresent(): Promise<string[]> {
    const runner = ds.createQueryRunner();
    try {
      const present: string[] = [];
      for (const table of entityTables(ds)) {
        if (await runner.hasTable(table)) {
          present.push(table);
        }
      }
      return present;
    } finally {
      await runner.release();
    }
  }

  async function appliedNames(): Promise<string[]> {
    const rows: { name: string }[] = await ds.query(`SELECT name FROM migrations ORDER BY id`);
    return rows.map((r) => r.name);
  }

  it('every migration in src/database/migrations/index.ts is registered with the data source, in timestamp order', () => {
    expect(migrations.length).toBeGreaterThan(0);
    const names = ds.migrations.map((m) => m.name ?? m.constructor.name);
    expect(names).toEqual(migrations.map((M) => new M().name ?? M.name));
    const stamps = names.map((n) => Number(/(\d{13})$/.exec(n)?.[1]));
    expect(stamps.every((s) => Number.isFinite(s))).toBe(true);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('up: runs every migration and creates every entity table', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(ds.migrations.map((m) => m.name));
    expect(await ds.showMigrations()).toBe(false);
    expect(await tablesPresent()).toEqual(entityTables(ds));
    expect(await appliedNames()).toEqual(ds.migrations.map((m) => m.name));
  });

  it('the migrated schema matches the entities exactly (nothing left for synchronize to do)', async () => {
    expect(await schemaDrift(ds)).toEqual([]);
  });

  it('down: undoes every migration, one by one, back to an empty schema', async () => {
    for (let i = ds.migrations.length; i > 0; i--) {
      await ds.undoLastMigration({ transaction: 'each' });
      expect(await appliedNames()).toHaveLength(i - 1);
    }
    expect(await tablesPresent()).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);
  });

  it('up again after a full down: the migrations are re-runnable', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran).toHaveLength(ds.migrations.length);
    expect(await tablesPresent()).toEqual(entityTables(ds));
    expect(await schemaDrift(ds)).toEqual([]);
  });
});

// SQLite is single-instance (one process owns the file), so only PostgreSQL has replicas to race.
const onPostgres = usingPostgres() ? describe : describe.skip;
onPostgres('migrations started by several replicas at once on an empty database (PostgreSQL only)', () => {
  it('all succeed: the runs take turns under an advisory lock, the first applies everything, the others nothing', async () => {
    const db = await isolatedDatabase();
    const sources = Array.from(
      { length: 3 },
      () =>
        new DataSource(
          buildDataSourceOptions({ type: 'postgres', url: db.url, schema: db.schema as string }),
        ),
    );
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const runs = await Promise.all(sources.map((s) => runMigrations(s)));
      const counts = runs.map((ran) => ran.length).sort((a, b) => a - b);
      expect(counts).toEqual([0, 0, migrations.length]);
      expect(await sources[0]!.showMigrations()).toBe(false);
      expect(await schemaDrift(sources[0]!)).toEqual([]);
    } finally {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await db.drop();
    }
  });

  it('without the lock the same start races (the reason for it): TypeORM alone lets two runs collide', async () => {
    const db = await isolatedDatabase();
    const sources = Array.from(
      { length: 2 },
      () =>
        new DataSource(
          buildDataSourceOptions({ type: 'postgres', url: db.url, schema: db.schema as string }),
        ),
    );
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const results = await Promise.allSettled(sources.map((s) => s.runMigrations({ transaction: 'each' })));
      expect(results.some((r) => r.status === 'rejected')).toBe(true);
    } finally {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await db.drop();
    }
  });
});
