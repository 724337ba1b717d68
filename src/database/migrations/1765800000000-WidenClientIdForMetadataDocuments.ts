import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/**
 * Client ID Metadata Documents: a client_id may be an https URL of up to 255 characters, in
 * every column that holds a client_id (audit actors and subjects included).
 */
const COLUMNS: ReadonlyArray<{ table: string; column: string; before: number; nullable: boolean }> = [
  { table: 'consent_grants', column: 'client_id', before: 64, nullable: false },
  { table: 'refresh_token_families', column: 'client_id', before: 64, nullable: false },
  { table: 'refresh_tokens', column: 'client_id', before: 64, nullable: false },
  { table: 'audit_events', column: 'actor_id', before: 100, nullable: true },
  { table: 'audit_events', column: 'subject_id', before: 100, nullable: true },
];

/**
 * PostgreSQL changes the type in place (TypeORM's changeColumn would drop and re-add the
 * column, losing its data); SQLite rebuilds the table with its rows (TypeORM copies them).
 */
async function setLengths(q: QueryRunner, widen: boolean): Promise<void> {
  for (const { table, column, before, nullable } of COLUMNS) {
    const length = widen ? 255 : before;
    if (q.connection.options.type === 'postgres') {
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE varchar(${length})`);
    } else {
      await q.changeColumn(table, column, new TableColumn(col.string(column, length, nullable)));
    }
  }
}

export class WidenClientIdForMetadataDocuments1765800000000 implements MigrationInterface {
  name = 'WidenClientIdForMetadataDocuments1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await setLengths(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await setLengths(q, false);
  }
}
