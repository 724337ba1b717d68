import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/** Client ID Metadata Documents: a client_id may be an https URL of up to 255 characters. */
const TABLES = ['consent_grants', 'refresh_token_families', 'refresh_tokens'] as const;

/**
 * PostgreSQL changes the type in place (TypeORM's changeColumn would drop and re-add the
 * column, losing its data); SQLite rebuilds the table with its rows (TypeORM copies them).
 */
async function setLength(q: QueryRunner, length: number): Promise<void> {
  for (const table of TABLES) {
    if (q.connection.options.type === 'postgres') {
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "client_id" TYPE varchar(${length})`);
    } else {
      await q.changeColumn(table, 'client_id', new TableColumn(col.string('client_id', length)));
    }
  }
}

export class WidenClientIdForMetadataDocuments1765800000000 implements MigrationInterface {
  name = 'WidenClientIdForMetadataDocuments1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await setLength(q, 255);
  }

  async down(q: QueryRunner): Promise<void> {
    await setLength(q, 64);
  }
}
