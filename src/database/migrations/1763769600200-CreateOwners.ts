import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateOwners1763769600200 implements MigrationInterface {
  name = 'CreateOwners1763769600200';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'owners',
        columns: [
          col.id('id', 36),
          col.string('username', 100),
          col.string('username_key', 100),
          col.string('display_name', 200, true),
          col.string('email', 320, true),
          col.string('password_hash', 255),
          col.bool('disabled', false),
          col.epoch('password_changed_at'),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'owners',
      new TableIndex({ name: 'IDX_owners_username_key', columnNames: ['username_key'], isUnique: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('owners', 'IDX_owners_username_key');
    await q.dropTable('owners');
  }
}
