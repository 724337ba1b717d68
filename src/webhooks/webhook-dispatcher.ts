import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditEventDto } from '../audit/dto/audit-event-response.dto.js';
import { AppConfig } from '../config/app-config.js';
import { serialised, Transactions } from '../database/transactions.js';
import { OutboundFetchError } from '../outbound/outbound-fetch.error.js';
import { OutboundFetcher } from '../outbound/outbound-fetcher.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signer.js';

const BATCH = 50;

interface Claimed {
  id: number;
  endpointId: string;
  eventSeq: number;
  attempts: number;
}

/**
 * Sends queued deliveries (rows the audit writer added in each event's transaction): polls every
 * WEBHOOK_POLL_INTERVAL_MS, claims due rows with a lease — `FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, so instances never claim the same row; one poll at a time per process on SQLite —
 * and POSTs each through the SSRF-safe OutboundFetcher, signed. Only the oldest pending delivery
 * of a subject (per endpoint) is ever due, so a subject's events arrive in order. A failure
 * retries with exponential backoff and jitter, capped at WEBHOOK_RETRY_MAX_DELAY, until
 * WEBHOOK_MAX_ATTEMPTS (then `dead`, and the subject's next event may go). At least once:
 * a crash after sending and before marking re-sends after the lease; receivers de-duplicate on
 * the event id. Never on the request path.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly claimSql: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: Transactions,
    private readonly fetcher: OutboundFetcher,
    private readonly endpoints: WebhookEndpointsService,
    private readonly config: AppConfig,
  ) {
    this.claimSql = tx.sql(
      `UPDATE webhook_deliveries SET lease_until = ?, attempts = attempts + 1
       WHERE id IN (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
           AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled = false)
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.endpoint_id = d.endpoint_id AND p.subject_key = d.subject_key
               AND p.status = 'pending' AND p.id < d.id)
         ORDER BY d.id LIMIT ${BATCH}${tx.isPostgres ? ' FOR UPDATE SKIP LOCKED' : ''})
       RETURNING id, endpoint_id, event_seq, attempts`,
    );
  }

  onModuleInit(): void {
    const interval = this.config.env.WEBHOOK_POLL_INTERVAL_MS;
    this.timer = setInterval(() => void this.poll(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One poll (skipped while the previous one runs); resolves to the deliveries attempted. */
  poll(): Promise<number> {
    if (this.running || this.stopped) {
      return this.running ?? Promise.resolve(0);
    }
    this.running = this.drain()
      .catch((err: unknown) => {
        this.logger.warn(`webhook poll failed: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Claims and sends batches while there is due work (a delivered head may unblock the next). */
  private async drain(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 20 && !this.stopped; round++) {
      const claimed = await this.claim();
      if (claimed.length === 0) {
        break;
      }
      await this.sendAll(claimed);
      total += claimed.length;
    }
    return total;
  }

  private async claim(): Promise<Claimed[]> {
    const now = Date.now();
    const lease = now + this.config.env.OUTBOUND_TIMEOUT_MS + 30_000;
    const run = async () => {
      const rows = await this.dataSource.query<Record<string, unknown>[]>(this.claimSql, [lease, now, now]);
      // node-postgres answers UPDATE … RETURNING with [rows, count].
      const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Record<string, unknown>[];
      return list.map((r) => ({
        id: Number(r.id),
        endpointId: String(r.endpoint_id),
        eventSeq: Number(r.event_seq),
        attempts: Number(r.attempts),
      }));
    };
    return this.tx.isPostgres ? run() : serialised(this.dataSource, run);
  }

  private async sendAll(claimed: Claimed[]): Promise<void> {
    const endpoints = await this.dataSource
      .getRepository(WebhookEndpointEntity)
      .findBy({ id: In([...new Set(claimed.map((c) => c.endpointId))]) });
    const events = await this.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ seq: In([...new Set(claimed.map((c) => c.eventSeq))]) });
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    await Promise.all(
      claimed.map(async (c) => {
        const endpoint = byId.get(c.endpointId);
        const event = bySeq.get(c.eventSeq);
        if (!endpoint || !event) {
          await this.finish(c.id, 'dead', endpoint ? 'event purged' : 'endpoint deleted');
          return;
        }
        const error = await this.send(endpoint, event);
        if (error === null) {
          await this.finish(c.id, 'delivered', null);
        } else if (c.attempts >= this.config.env.WEBHOOK_MAX_ATTEMPTS) {
          await this.finish(c.id, 'dead', error);
          this.logger.warn(
            `webhook delivery ${c.id} to endpoint ${endpoint.id} dead after ${c.attempts} attempts`,
          );
        } else {
          await this.retryLater(c, error);
        }
      }),
    );
  }

  /** null when the receiver answered 2xx; otherwise a short reason (never the response body). */
  private async send(endpoint: WebhookEndpointEntity, event: AuditEventEntity): Promise<string | null> {
    const body = JSON.stringify(AuditEventDto.from(event));
    try {
      const res = await this.fetcher.fetch(endpoint.url, {
        method: 'POST',
        body,
        maxBytes: 16_384,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tessera-Webhooks/1',
          'tessera-event-id': event.eventId,
          'tessera-event-type': event.type,
          [SIGNATURE_HEADER]: signWebhook(this.endpoints.secretOf(endpoint), body),
        },
      });
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof OutboundFetchError ? err.code : 'error';
    }
  }

  private async finish(id: number, status: 'delivered' | 'dead', error: string | null): Promise<void> {
    await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .update({ id }, { status, lastError: error, leaseUntil: null, finishedAt: new Date() });
  }

  /** Exponential backoff with equal jitter: base·2^(n−1), capped, then a random half of it added. */
  private async retryLater(c: Claimed, error: string): Promise<void> {
    const { WEBHOOK_RETRY_BASE_MS: base, WEBHOOK_RETRY_MAX_DELAY: cap } = this.config.env;
    const delay = Math.min(cap * 1000, base * 2 ** Math.min(c.attempts - 1, 30));
    const wait = delay / 2 + Math.random() * (delay / 2);
    await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .update(
        { id: c.id },
        { lastError: error, leaseUntil: null, nextAttemptAt: new Date(Date.now() + wait) },
      );
  }
}
