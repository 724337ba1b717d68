import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

export class CreateSigningKeys1763769603000 implements MigrationInterface {
  name = 'CreateSigningKeys1763769603000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          col.id('kid'),
          col.int('generation'),
          col.string('alg', 16),
          col.text('public_jwk'),
          col.text('private_key_encrypted'),
          col.epoch('created_at'),
          col.epoch('activates_at'),
          col.epoch('retires_at', true),
          col.epoch('expires_at', true),
        ],
      }),
    );
    // One key per generation: the loser of a concurrent rotation gets a unique violation.
    await q.createIndex(
      'signing_keys',
      new TableIndex({ name: 'UQ_signing_keys_generation', columnNames: ['generation'], isUnique: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('signing_keys', 'UQ_signing_keys_generation');
    await q.dropTable('signing_keys');
  }
}
