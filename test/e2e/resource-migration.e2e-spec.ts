import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.options.js';
import { isolatedDatabase, usingPostgres, type IsolatedDatabase } from '../support/test-env.js';

/** Issue 11: existing allowed_resources data keeps working through the registry migration. */
describe(`migration 1765100000000-CreateResourceServers (${usingPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
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

  const MIGRATION = 'CreateResourceServers1765100000000';

  /** Undoes the newest migrations until `name` is no longer applied. */
  async function undoThrough(name: string): Promise<void> {
    const applied = async () =>
      (await ds.query<{ name: string }[]>('SELECT name FROM migrations')).map((r) => r.name);
    while ((await applied()).includes(name)) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
  }

  const placeholders = (n: number) =>
    Array.from({ length: n }, (_, i) => (usingPostgres() ? `$${i + 1}` : '?')).join(', ');

  async function insertClient(clientId: string, allowedResources: string): Promise<void> {
    const values = [
      clientId,
      'legacy',
      'client_secret_basic',
      '[]',
      '[]',
      '[]',
      allowedResources,
      '{}',
      1,
      1,
    ];
    await ds.query(
      `INSERT INTO clients (client_id, client_name, token_endpoint_auth_method, redirect_uris, grant_types, response_types, allowed_resources, metadata, created_at, updated_at) VALUES (${placeholders(values.length)})`,
      values,
    );
  }

  it('registers every identifier named in allowed_resources as a listed resource listing its clients; down() undoes it', async () => {
    await ds.runMigrations({ transaction: 'each' });
    await undoThrough(MIGRATION); // back to the schema before the registry (later migrations too)
    await insertClient('a', JSON.stringify(['https://API.example.com/', 'https://b.example.com/v1']));
    await insertClient('b', JSON.stringify(['https://api.example.com']));
    await insertClient('c', JSON.stringify(['not a uri', 'https://x.example/#frag']));
    await insertClient('d', 'not json');

    await ds.runMigrations({ transaction: 'each' });
    const rows = await ds.query<
      { identifier: string; client_policy: string; listed_clients: string; scopes: string }[]
    >('SELECT identifier, client_policy, listed_clients, scopes FROM resource_servers ORDER BY identifier');
    expect(rows.map((r) => ({ ...r, listed_clients: JSON.parse(r.listed_clients) as string[] }))).toEqual([
      {
        identifier: 'https://api.example.com',
        client_policy: 'listed',
        listed_clients: ['a', 'b'],
        scopes: '[]',
      },
      {
        identifier: 'https://b.example.com/v1',
        client_policy: 'listed',
        listed_clients: ['a'],
        scopes: '[]',
      },
    ]);
    const clients = await ds.query<{ default_resource: string | null }[]>(
      'SELECT client_id, default_resource FROM clients ORDER BY client_id',
    );
    expect(clients.every((c) => c.default_resource === null)).toBe(true);

    await undoThrough(MIGRATION);
    const runner = ds.createQueryRunner();
    try {
      expect(await runner.hasTable('resource_servers')).toBe(false);
      expect(await runner.hasColumn('clients', 'default_resource')).toBe(false);
    } finally {
      await runner.release();
    }
  });
});
