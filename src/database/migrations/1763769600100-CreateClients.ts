import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateClients1763769600100 implements MigrationInterface {
  name = 'CreateClients1763769600100';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clients',
        columns: [
          col.id('client_id'),
          col.string('client_name', 200),
          col.string('token_endpoint_auth_method', 32),
          col.text('redirect_uris'),
          col.text('grant_types'),
          col.text('response_types'),
          { ...col.text('scope'), default: "''" },
          col.text('allowed_resources'),
          col.text('jwks', true),
          col.string('jwks_uri', 2000, true),
          col.int('access_token_ttl', true),
          col.int('refresh_token_ttl', true),
          { ...col.string('access_token_format', 16), default: "'jwt'" },
          col.bool('refresh_token_rotation', true),
          col.bool('can_introspect', false),
          col.bool('first_party', false),
          col.bool('disabled', false),
          col.string('secret_hash', 64, true),
          col.string('previous_secret_hash', 64, true),
          col.epoch('previous_secret_expires_at', true),
          col.string('registration_token_hash', 64, true),
          col.bool('dynamically_registered', false),
          col.text('metadata'),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'clients',
      new TableIndex({
        name: 'IDX_clients_registration_token_hash',
        columnNames: ['registration_token_hash'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('clients', 'IDX_clients_registration_token_hash');
    await q.dropTable('clients');
  }
}
