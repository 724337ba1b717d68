import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col } from '../migration-columns.js';

/**
 * The audit trail (transactional outbox) and webhook endpoints / deliveries. The sequence is
 * bigserial on PostgreSQL and SQLite's INTEGER PRIMARY KEY (64-bit rowid) on SQLite.
 */
export class CreateAuditEvents1765700000000 implements MigrationInterface {
  name = 'CreateAuditEvents1765700000000';

  async up(q: QueryRunner): Promise<void> {
    const seq = (name: string) => ({
      name,
      type: q.connection.options.type === 'postgres' ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    });
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          seq('seq'),
          col.string('event_id', 36),
          col.string('type', 64),
          col.epoch('occurred_at'),
          col.string('actor_type', 32),
          col.string('actor_id', 100, true),
          col.string('subject_type', 32),
          col.string('subject_id', 100, true),
          col.string('owner_id', 64, true),
          col.string('source_address', 64, true),
          col.text('data'),
        ],
      }),
    );
    const index = (table: string, name: string, columnNames: string[]) =>
      q.createIndex(table, new TableIndex({ name, columnNames }));
    await index('audit_events', 'IDX_audit_events_event_id', ['event_id']);
    await index('audit_events', 'IDX_audit_events_type', ['type', 'seq']);
    await index('audit_events', 'IDX_audit_events_subject', ['subject_id', 'seq']);
    await index('audit_events', 'IDX_audit_events_actor', ['actor_id', 'seq']);
    await index('audit_events', 'IDX_audit_events_owner', ['owner_id']);
    await index('audit_events', 'IDX_audit_events_occurred', ['occurred_at']);

    await q.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          col.id('id', 36),
          col.string('url', 2000),
          col.text('event_types'),
          col.text('secret_encrypted'),
          col.bool('disabled', false),
          col.epoch('created_at'),
          col.epoch('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          seq('id'),
          col.string('endpoint_id', 36),
          { ...col.epoch('event_seq') },
          col.string('subject_key', 140),
          col.string('status', 16),
          col.int('attempts'),
          col.epoch('next_attempt_at'),
          col.epoch('lease_until', true),
          col.string('last_error', 200, true),
          col.epoch('created_at'),
          col.epoch('finished_at', true),
        ],
      }),
    );
    await index('webhook_deliveries', 'IDX_webhook_deliveries_due', ['status', 'next_attempt_at']);
    await index('webhook_deliveries', 'IDX_webhook_deliveries_subject', [
      'endpoint_id',
      'subject_key',
      'status',
    ]);
    await index('webhook_deliveries', 'IDX_webhook_deliveries_event', ['event_seq']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_endpoints');
    await q.dropTable('audit_events');
  }
}
