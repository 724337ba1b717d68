import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/** Token exchange / JWT bearer policy per client, and trusted external issuers. */
export class CreateTokenExchangePolicies1765500000000 implements MigrationInterface {
  name = 'CreateTokenExchangePolicies1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'token_exchange_policies',
        columns: [
          col.id('client_id', 64),
          col.text('subject_token_types'),
          col.text('issuers'),
          col.text('audiences'),
          col.bool('delegation', true),
          col.bool('impersonation', false),
          col.bool('refresh_tokens', false),
          col.bool('jwt_bearer', false),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trusted_issuers',
        columns: [
          col.id('id', 36),
          { ...col.string('issuer', 512), isUnique: true },
          col.text('jwks', true),
          col.string('jwks_uri', 2048, true),
          col.string('subject_claim', 64),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('trusted_issuers');
    await q.dropTable('token_exchange_policies');
  }
}
