import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateAdminTokens1763769600000 implements MigrationInterface {
  name = 'CreateAdminTokens1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'admin_tokens',
        columns: [col.id(), col.string('token_hash', 64), col.epoch('created_at')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('admin_tokens');
  }
}
