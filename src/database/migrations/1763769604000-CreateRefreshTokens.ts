import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateRefreshTokens1763769604000 implements MigrationInterface {
  name = 'CreateRefreshTokens1763769604000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'refresh_token_families',
        columns: [
          col.id('id', 36),
          col.string('client_id', 64),
          col.string('owner_id', 36, true),
          col.string('consent_grant_id', 64, true),
          col.text('scope'),
          col.text('resources'),
          col.epoch('auth_time', true),
          col.epoch('created_at'),
          col.epoch('absolute_expires_at'),
          col.epoch('revoked_at', true),
        ],
      }),
    );
    for (const [name, column] of [
      ['IDX_rt_families_client', 'client_id'],
      ['IDX_rt_families_owner', 'owner_id'],
      ['IDX_rt_families_consent', 'consent_grant_id'],
      ['IDX_rt_families_expires', 'absolute_expires_at'],
    ] as const) {
      await q.createIndex('refresh_token_families', new TableIndex({ name, columnNames: [column] }));
    }
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          col.id('token_hash', 64),
          col.string('family_id', 36),
          col.string('client_id', 64),
          col.text('scope'),
          col.epoch('issued_at'),
          col.epoch('idle_expires_at'),
          col.epoch('used_at', true),
        ],
      }),
    );
    await q.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'IDX_refresh_tokens_family', columnNames: ['family_id'] }),
    );
    await q.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'IDX_refresh_tokens_idle_expires', columnNames: ['idle_expires_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('refresh_tokens');
    await q.dropTable('refresh_token_families');
  }
}
