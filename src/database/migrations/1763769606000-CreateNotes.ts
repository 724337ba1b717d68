import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/** Notes of the sample protected API (/api/notes). */
export class CreateNotes1763769606000 implements MigrationInterface {
  name = 'CreateNotes1763769606000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notes',
        columns: [
          col.id('id', 36),
          col.string('owner_sub', 255),
          col.string('title', 200),
          col.text('body'),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createIndex('notes', new TableIndex({ name: 'IDX_notes_owner_sub', columnNames: ['owner_sub'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('notes', 'IDX_notes_owner_sub');
    await q.dropTable('notes');
  }
}
