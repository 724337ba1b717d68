import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/**
 * OpenID Connect (issue 13): an RS256 companion key per signing-key generation (unique per
 * generation and role), owners' standard claims, the session id (`sid`) of a grant so
 * refresh-issued ID tokens carry it, and the back-channel logout outbox.
 */
export class OpenIdConnect1765300000000 implements MigrationInterface {
  name = 'OpenIdConnect1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('signing_keys', new TableColumn(col.bool('companion', false)));
    await q.dropIndex('signing_keys', 'UQ_signing_keys_generation');
    await q.createIndex(
      'signing_keys',
      new TableIndex({
        name: 'UQ_signing_keys_generation_companion',
        columnNames: ['generation', 'companion'],
        isUnique: true,
      }),
    );
    await q.addColumn('owners', new TableColumn(col.text('claims', true)));
    await q.addColumn('refresh_token_families', new TableColumn(col.string('sid', 64, true)));
    await q.createTable(
      new Table({
        name: 'backchannel_logout_outbox',
        columns: [
          col.id('id', 36),
          col.string('client_id', 64),
          col.string('logout_uri', 2000),
          col.string('sub', 255),
          col.string('sid', 64, true),
          col.int('attempts'),
          col.epoch('next_attempt_at'),
          col.epoch('created_at'),
          col.epoch('given_up_at', true),
          col.string('last_error', 200, true),
        ],
      }),
    );
    await q.createIndex(
      'backchannel_logout_outbox',
      new TableIndex({ name: 'IDX_bcl_outbox_due', columnNames: ['next_attempt_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('backchannel_logout_outbox', 'IDX_bcl_outbox_due');
    await q.dropTable('backchannel_logout_outbox');
    await q.dropColumn('refresh_token_families', 'sid');
    await q.dropColumn('owners', 'claims');
    await q.dropIndex('signing_keys', 'UQ_signing_keys_generation_companion');
    await q.query('DELETE FROM signing_keys WHERE companion = true');
    await q.dropColumn('signing_keys', 'companion');
    await q.createIndex(
      'signing_keys',
      new TableIndex({ name: 'UQ_signing_keys_generation', columnNames: ['generation'], isUnique: true }),
    );
  }
}
