import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { ClientRegistry } from '../../clients/client-registry.js';
import { AppConfig } from '../../config/app-config.js';
import { KeysService } from '../../keys/keys.service.js';
import { SessionLogout, type SessionEndedListener } from '../logout/session-logout.service.js';
import { oidcMetadataOf } from '../oidc-client-metadata.js';
import { BackchannelLogoutEntity } from './backchannel-logout.entity.js';
import { BACKCHANNEL_TRANSPORT, type BackchannelTransport } from './backchannel-transport.js';
import { signLogoutToken } from './logout-token.js';

/** Delivery attempts before giving up, and the backoff base (2 s, 4 s, 8 s, 16 s …). */
export const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 2000;
const POLL_MS = 5000;
/** Bound on one POST: a hanging RP costs the worker this much, never the owner. */
const DELIVERY_TIMEOUT_MS = 5000;
/** While one instance delivers a row, others leave it alone this long. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 2;
const BATCH = 20;

/**
 * Back-Channel Logout 1.0 (R-OIDC-11): when an owner session ends, one outbox row per client
 * that took part in it and registered a backchannel_logout_uri; a worker POSTs the logout
 * tokens with bounded retries and exponential backoff. Sign-out only waits for the inserts,
 * never for a client.
 */
@Injectable()
export class BackchannelLogoutService implements SessionEndedListener, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('BackchannelLogout');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    @InjectRepository(BackchannelLogoutEntity) private readonly outbox: Repository<BackchannelLogoutEntity>,
    private readonly clients: ClientRegistry,
    private readonly keys: KeysService,
    private readonly config: AppConfig,
    private readonly logout: SessionLogout,
    @Optional() @Inject(BACKCHANNEL_TRANSPORT) private readonly transport?: BackchannelTransport,
  ) {}

  onModuleInit(): void {
    this.logout.register(this);
    if (this.transport) {
      this.timer = setInterval(() => this.deliverSoon(), POLL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sessionEnded(ended: { sid: string; ownerId: string; clientIds: string[] }): Promise<void> {
    const now = new Date();
    for (const clientId of ended.clientIds) {
      const client = await this.clients.find(clientId);
      const uri = client ? oidcMetadataOf(client).backchannel_logout_uri : undefined;
      if (!uri) {
        continue;
      }
      await this.outbox.insert({
        id: randomUUID(),
        clientId,
        logoutUri: uri,
        sub: ended.ownerId,
        sid: ended.sid,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        givenUpAt: null,
        lastError: null,
      });
    }
    this.deliverSoon();
  }

  /** Starts a delivery round in the background (coalesced), never awaited by a request. */
  deliverSoon(): void {
    if (!this.transport) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((err: unknown) => this.logger.warn(`back-channel delivery round failed: ${String(err)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.deliverSoon();
        }
      });
  }

  /** One round: every due row, each claimed first so instances never send one twice at once. */
  async deliverDue(now = new Date()): Promise<void> {
    const due = await this.outbox.find({
      where: { nextAttemptAt: LessThanOrEqual(now), givenUpAt: IsNull() },
      order: { nextAttemptAt: 'ASC' },
      take: BATCH,
    });
    await Promise.all(due.map((row) => this.deliverOne(row, now)));
  }

  private async deliverOne(row: BackchannelLogoutEntity, now: Date): Promise<void> {
    const claimed = await this.outbox.update(
      { id: row.id, nextAttemptAt: row.nextAttemptAt, givenUpAt: IsNull() },
      { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
    );
    if (claimed.affected !== 1) {
      return;
    }
    let error: string;
    try {
      const client = await this.clients.find(row.clientId);
      if (!client) {
        await this.outbox.delete({ id: row.id });
        return;
      }
      const token = signLogoutToken(this.keys, this.config, client, { sub: row.sub, sid: row.sid });
      const body = new URLSearchParams({ logout_token: token }).toString();
      const status = await (this.transport as BackchannelTransport).post(
        row.logoutUri,
        body,
        DELIVERY_TIMEOUT_MS,
      );
      if (status >= 200 && status < 300) {
        await this.outbox.delete({ id: row.id });
        return;
      }
      error = `HTTP ${status}`;
    } catch (err) {
      error = (err as { code?: string }).code ?? (err instanceof Error ? err.name : 'error');
    }
    const attempts = row.attempts + 1;
    const givenUp = attempts >= MAX_ATTEMPTS;
    await this.outbox.update(
      { id: row.id },
      {
        attempts,
        lastError: error.slice(0, 200),
        nextAttemptAt: new Date(Date.now() + BACKOFF_BASE_MS * 2 ** (attempts - 1)),
        givenUpAt: givenUp ? new Date() : null,
      },
    );
    if (givenUp) {
      this.logger.warn(
        `back-channel logout to client ${row.clientId} given up after ${attempts} attempts: ${error}`,
      );
    }
  }
}
