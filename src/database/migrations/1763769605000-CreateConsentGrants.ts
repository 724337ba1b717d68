import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateConsentGrants1763769605000 implements MigrationInterface {
  name = 'CreateConsentGrants1763769605000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'consent_grants',
        columns: [
          col.id('id', 36),
          col.string('owner_id', 36),
          col.string('client_id', 64),
          col.text('scopes'),
          col.text('resources'),
          col.epoch('created_at'),
          col.epoch('last_used_at'),
          col.epoch('revoked_at', true),
        ],
      }),
    );
    await q.createIndex(
      'consent_grants',
      new TableIndex({ name: 'IDX_consent_grants_owner_client', columnNames: ['owner_id', 'client_id'] }),
    );
    await q.createIndex(
      'consent_grants',
      new TableIndex({ name: 'IDX_consent_grants_client', columnNames: ['client_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('consent_grants', 'IDX_consent_grants_client');
    await q.dropIndex('consent_grants', 'IDX_consent_grants_owner_client');
    await q.dropTable('consent_grants');
  }
}
