import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateInitialAccessTokens1763769601000 implements MigrationInterface {
  name = 'CreateInitialAccessTokens1763769601000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'initial_access_tokens',
        columns: [
          col.id('id'),
          col.string('token_hash', 64),
          col.epoch('expires_at', true),
          col.int('max_uses', true),
          { ...col.int('uses'), default: 0 },
          col.epoch('revoked_at', true),
          col.epoch('created_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('initial_access_tokens');
  }
}
