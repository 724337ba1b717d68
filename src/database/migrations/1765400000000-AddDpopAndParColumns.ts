import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/**
 * RFC 9449 / RFC 9126 client settings (dpop_bound_access_tokens,
 * require_pushed_authorization_requests) and the DPoP key a public client's refresh-token
 * grant is bound to (RFC 9449 §5, R-DPOP-7).
 */
export class AddDpopAndParColumns1765400000000 implements MigrationInterface {
  name = 'AddDpopAndParColumns1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('clients', [
      new TableColumn(col.bool('dpop_bound_access_tokens', false)),
      new TableColumn(col.bool('require_pushed_authorization_requests', false)),
    ]);
    await q.addColumn('refresh_token_families', new TableColumn(col.string('dpop_jkt', 64, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('refresh_token_families', 'dpop_jkt');
    await q.dropColumn('clients', 'require_pushed_authorization_requests');
    await q.dropColumn('clients', 'dpop_bound_access_tokens');
  }
}
