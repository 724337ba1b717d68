import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const PROCESS_REGISTRY = Symbol.for('tessera.metrics.processRegistry');

/**
 * The process metrics (CPU, memory, GC, event-loop lag, handles) in a registry of their own,
 * collected once per process however many app instances it runs (tests run many).
 */
export function processRegistry(): Registry {
  const holder = globalThis as { [PROCESS_REGISTRY]?: Registry };
  if (!holder[PROCESS_REGISTRY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
    holder[PROCESS_REGISTRY] = registry;
  }
  return holder[PROCESS_REGISTRY];
}

/** Seconds; from a fast in-memory hit to a request waiting on a timeout. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export type GaugeSource = () => number | undefined;

/**
 * Every Tessera metric (documented in docs/operations.md). Labels are bounded sets only: route
 * templates, methods, status codes, grant types, outcomes, limiter and operation names; never a
 * client id, a username, an IP address or a raw path.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'HTTP requests by listener, route template, method and status: latency (its _count is the request count).',
    labelNames: ['listener', 'route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'tessera_tokens_issued_total',
    help: 'Tokens issued by the token endpoint, by grant type, token type (access_token, refresh_token) and format (jwt, opaque).',
    labelNames: ['grant_type', 'token_type', 'format'] as const,
    registers: [this.registry],
  });

  readonly refreshReuse = new Counter({
    name: 'tessera_refresh_token_reuse_detected_total',
    help: 'Rotated-out refresh tokens presented again (the family is revoked, R-RT-8).',
    registers: [this.registry],
  });

  readonly familiesRevoked = new Counter({
    name: 'tessera_refresh_token_families_revoked_total',
    help: 'Refresh-token families (grants) revoked, for any reason: reuse, revocation, consent withdrawn, admin.',
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'tessera_logins_total',
    help: 'Owner login attempts by outcome: success, invalid_credentials, invalid_request, rate_limited.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly throttled = new Counter({
    name: 'tessera_throttled_total',
    help: 'Requests refused by a rate limiter (429), by limiter: login, client_secret, registration.',
    labelNames: ['limiter'] as const,
    registers: [this.registry],
  });

  readonly storeDuration = new Histogram({
    name: 'tessera_store_operation_duration_seconds',
    help: 'Short-lived store (Redis or in-process) operations by operation: latency.',
    labelNames: ['operation'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'tessera_store_errors_total',
    help: 'Short-lived store operations that failed (outage, timeout), by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly dbDuration = new Histogram({
    name: 'tessera_db_query_duration_seconds',
    help: 'Database queries: latency.',
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });

  readonly dbErrors = new Counter({
    name: 'tessera_db_query_errors_total',
    help: 'Database queries that failed (constraint violations included).',
    registers: [this.registry],
  });

  private readonly gauges = {
    keyAge: undefined as GaugeSource | undefined,
    nextRotation: undefined as GaugeSource | undefined,
    pool: undefined as (() => { total: number; idle: number; waiting: number } | undefined) | undefined,
  };

  constructor() {
    const gauges = this.gauges;
    new Gauge({
      name: 'tessera_signing_key_active_age_seconds',
      help: 'Age of the signing key that signs now.',
      registers: [this.registry],
      collect() {
        const value = gauges.keyAge?.();
        if (value !== undefined) {
          this.set(value);
        }
      },
    });
    new Gauge({
      name: 'tessera_signing_key_next_rotation_seconds',
      help: 'Seconds until the next automatic key rotation is due (negative: overdue).',
      registers: [this.registry],
      collect() {
        const value = gauges.nextRotation?.();
        if (value !== undefined) {
          this.set(value);
        }
      },
    });
    new Gauge({
      name: 'tessera_db_pool_connections',
      help: 'PostgreSQL pool connections by state: total, idle, waiting (requests queued for a connection). Absent on SQLite.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = gauges.pool?.();
        if (pool) {
          this.set({ state: 'total' }, pool.total);
          this.set({ state: 'idle' }, pool.idle);
          this.set({ state: 'waiting' }, pool.waiting);
        }
      },
    });
  }

  /** Sources read at scrape time (no timers): the keys service and the database pool register theirs. */
  onKeyAge(source: GaugeSource): void {
    this.gauges.keyAge = source;
  }

  onNextRotation(source: GaugeSource): void {
    this.gauges.nextRotation = source;
  }

  onPool(source: () => { total: number; idle: number; waiting: number } | undefined): void {
    this.gauges.pool = source;
  }

  /** The exposition text: process metrics, then Tessera's. */
  async exposition(): Promise<string> {
    const [process, own] = await Promise.all([processRegistry().metrics(), this.registry.metrics()]);
    return `${process}\n${own}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
