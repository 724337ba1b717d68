import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.options.js';
import { entities } from '../../src/database/entities.js';
import { migrations } from '../../src/database/migrations/index.js';
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
