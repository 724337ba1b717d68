import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Transactions } from '../database/transactions.js';

const BATCH = 1000;
const MAX_BATCHES_PER_RUN = 20;
const INTERVAL_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** Finished webhook deliveries: delivered ones are kept 7 days, dead ones 30 (for inspection). */
const DELIVERED_KEEP_MS = 7 * DAY_MS;
const DEAD_KEEP_MS = 30 * DAY_MS;

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS (never one a webhook delivery still
 * waits for) and old finished deliveries, in batches of 1000 rows, at most 20 batches a run,
 * every 15 minutes: no long transaction, no lock held for long. Idempotent across instances.
 */
@Injectable()
export class AuditRetentionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private timer: NodeJS.Timeout | undefined;
  private readonly purgeEvents: string;
  private readonly purgeDeliveries: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    tx: Transactions,
  ) {
    this.purgeEvents = tx.sql(
      `DELETE FROM audit_events WHERE seq IN (
         SELECT a.seq FROM audit_events a WHERE a.occurred_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = a.seq AND d.status = 'pending')
         ORDER BY a.seq LIMIT ${BATCH})`,
    );
    this.purgeDeliveries = tx.sql(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT d.id FROM webhook_deliveries d
         WHERE (d.status = 'delivered' AND d.finished_at < ?) OR (d.status = 'dead' AND d.finished_at < ?)
         ORDER BY d.id LIMIT ${BATCH})`,
    );
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.purge().catch((err: unknown) => this.logger.warn(`audit purge failed: ${String(err)}`));
    }, INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One bounded run; returns the rows deleted (events, deliveries). */
  async purge(now = Date.now()): Promise<{ events: number; deliveries: number }> {
    let deliveries = 0;
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const n = await this.run(this.purgeDeliveries, [now - DELIVERED_KEEP_MS, now - DEAD_KEEP_MS]);
      deliveries += n;
      if (n < BATCH) {
        break;
      }
    }
    let events = 0;
    const days = this.config.env.AUDIT_RETENTION_DAYS;
    for (let i = 0; days > 0 && i < MAX_BATCHES_PER_RUN; i++) {
      const n = await this.run(this.purgeEvents, [now - days * DAY_MS]);
      events += n;
      if (n < BATCH) {
        break;
      }
    }
    return { events, deliveries };
  }

  private async run(sql: string, parameters: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(sql, parameters, true)) as { affected?: number };
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}
