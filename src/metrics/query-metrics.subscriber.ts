import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import type { Metrics } from './metrics.js';

/** TypeORM's afterQuery hook (both dialects): query latency and errors (tessera_db_*). */
export class QueryMetricsSubscriber implements EntitySubscriberInterface {
  constructor(private readonly metrics: Metrics) {}

  afterQuery(event: AfterQueryEvent): void {
    if (!event.success) {
      this.metrics.dbErrors.inc();
    }
    if (event.executionTime !== undefined) {
      this.metrics.dbDuration.observe(event.executionTime / 1000);
    }
  }
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Registers the query subscriber and, on PostgreSQL, the pool gauge source. */
export function instrumentDataSource(dataSource: DataSource, metrics: Metrics): void {
  dataSource.subscribers.push(new QueryMetricsSubscriber(metrics));
  const driver = dataSource.driver as { master?: PgPool };
  metrics.onPool(() =>
    driver.master && typeof driver.master.totalCount === 'number'
      ? {
          total: driver.master.totalCount,
          idle: driver.master.idleCount,
          waiting: driver.master.waitingCount,
        }
      : undefined,
  );
}
