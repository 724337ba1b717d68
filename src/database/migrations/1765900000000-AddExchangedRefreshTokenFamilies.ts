import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/**
 * RFC 8693 refresh tokens issued by token exchange (issue 15): their family names the subject's
 * family (`parent_family_id`, indexed for the revocation cascade) and carries the `act` claim
 * every access token refreshed from it repeats.
 */
export class AddExchangedRefreshTokenFamilies1765900000000 implements MigrationInterface {
  name = 'AddExchangedRefreshTokenFamilies1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('refresh_token_families', [
      new TableColumn(col.string('parent_family_id', 36, true)),
      new TableColumn(col.text('act', true)),
    ]);
    await q.createIndex(
      'refresh_token_families',
      new TableIndex({ name: 'IDX_rt_families_parent', columnNames: ['parent_family_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('refresh_token_families', 'IDX_rt_families_parent');
    await q.dropColumn('refresh_token_families', 'act');
    await q.dropColumn('refresh_token_families', 'parent_family_id');
  }
}
