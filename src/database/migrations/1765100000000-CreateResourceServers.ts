import { randomUUID } from 'node:crypto';
import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/** Same rule as normalizeResource (src/back-channel/grants/resource.ts), frozen for this migration. */
function normalise(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.hash !== '' || value.includes('#')) {
      return null;
    }
    return url.pathname === '/' && url.search === '' ? url.href.slice(0, -1) : url.href;
  } catch {
    return null;
  }
}

/**
 * Resource servers as registered entities (issue 11), and clients' default resource. Carries
 * existing data forward: every identifier named in a client's allowed_resources becomes a
 * resource with policy `listed`, listing those clients, so every existing client keeps getting
 * the tokens it got before. Its scopes start empty (SCOPES stays the server's own scope list).
 */
export class CreateResourceServers1765100000000 implements MigrationInterface {
  name = 'CreateResourceServers1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'resource_servers',
        columns: [
          col.id('id', 36),
          col.string('identifier', 2048),
          col.string('name', 200),
          col.text('scopes'),
          col.string('access_token_format', 16, true),
          col.int('access_token_ttl', true),
          col.string('client_policy', 16),
          col.text('listed_clients'),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'resource_servers',
      new TableIndex({
        name: 'IDX_resource_servers_identifier',
        columnNames: ['identifier'],
        isUnique: true,
      }),
    );
    await q.addColumn('clients', new TableColumn(col.string('default_resource', 2048, true)));

    const rows = (await q.query('SELECT client_id, allowed_resources FROM clients')) as {
      client_id: string;
      allowed_resources: string;
    }[];
    const listed = new Map<string, string[]>();
    for (const row of rows) {
      let values: unknown;
      try {
        values = JSON.parse(row.allowed_resources);
      } catch {
        continue;
      }
      for (const value of Array.isArray(values) ? values : []) {
        const identifier = typeof value === 'string' ? normalise(value) : null;
        if (identifier !== null && identifier.length <= 2048) {
          listed.set(identifier, [...(listed.get(identifier) ?? []), row.client_id]);
        }
      }
    }
    const now = Date.now();
    const table = q.connection.driver.escape('resource_servers');
    for (const [identifier, clients] of listed) {
      const params = [
        randomUUID(),
        identifier,
        identifier.slice(0, 200),
        '[]',
        'listed',
        JSON.stringify(clients),
        now,
        now,
      ];
      const placeholders =
        q.connection.driver.options.type === 'postgres'
          ? params.map((_, i) => `$${i + 1}`).join(', ')
          : params.map(() => '?').join(', ');
      await q.query(
        `INSERT INTO ${table} (id, identifier, name, scopes, client_policy, listed_clients, created_at, updated_at) VALUES (${placeholders})`,
        params,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('clients', 'default_resource');
    await q.dropIndex('resource_servers', 'IDX_resource_servers_identifier');
    await q.dropTable('resource_servers');
  }
}
