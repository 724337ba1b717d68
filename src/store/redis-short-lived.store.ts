import { Logger } from '@nestjs/common';
import { DeadlineExceededError, Deadlines, sleep, withDeadline } from './deadline.js';
import { addressOf, describeError, ExitCode, StartupError } from '../startup/exit-codes.js';
import { createRedisClient, type RedisLike } from './redis-target.js';
import { StoreUnavailableError, type ShortLivedStore } from './short-lived-store.js';

type Client = RedisLike;

// INCR, and set the TTL only when the counter was just created (atomic on the server).
const INCREMENT_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * node-redis adapter. Commands fail fast instead of queueing while Redis is away
 * (disableOfflineQueue), so callers answer 503 at once, and the client reconnects by itself
 * with capped backoff.
 *
 * A hung Redis (process stopped, TCP still open) is different: node-redis's command timeout
 * only covers the wait before a command is written, so a written command would wait forever.
 * Every command therefore has its own deadline (STORE_TIMEOUT_MS); the first missed deadline
 * marks the store unavailable, later calls fail at once instead of piling up on the socket,
 * and one PING at a time probes until Redis answers again. close() is bounded the same way.
 */
export class RedisShortLivedStore implements ShortLivedStore {
  private readonly logger = new Logger('RedisStore');
  private subscriber: Client | undefined;
  private readonly handlers = new Map<string, ((message: string) => void)[]>();
  private readonly missedHandlers: (() => void)[] = [];
  /** Set while a command has missed its deadline and Redis has not answered a probe since. */
  private hung = false;
  private closing = false;

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    /** REDIS_WAIT_REPLICAS: a write counts as done only once this many replicas have it (WAIT). */
    private readonly waitReplicas = 0,
  ) {
    this.deadlines = new Deadlines(timeoutMs);
  }

  /** Every command's REDIS_TIMEOUT_MS deadline, on one timer. */
  private readonly deadlines: Deadlines;

  static async connect(
    url: string,
    options: { prefix: string; timeoutMs: number; connectWithinMs?: number; waitReplicas?: number },
  ): Promise<RedisShortLivedStore> {
    const client: Client = createRedisClient(url, {
      connectTimeoutMs: options.timeoutMs * 2,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    });
    const store = new RedisShortLivedStore(
      client,
      options.prefix,
      options.timeoutMs,
      options.waitReplicas ?? 0,
    );
    let lastError = '';
    let connected = false;
    client.on('error', (err: Error) => {
      // Logged once per distinct message, so an outage does not flood the log; before the first
      // connection the start-up failure line reports it instead.
      if (err.message !== lastError) {
        lastError = err.message;
        if (connected) {
          store.logger.warn(`redis: ${err.message}`);
        }
      }
    });
    client.on('ready', () => {
      connected = true;
      lastError = '';
    });
    // node-redis retries a refused first connection forever: bound it (STARTUP_TIMEOUT_MS).
    const connectWithinMs = options.connectWithinMs ?? options.timeoutMs * 10;
    try {
      await withDeadline(client.connect(), connectWithinMs);
    } catch (err) {
      client.destroy();
      const why =
        err instanceof DeadlineExceededError ? `no answer within ${connectWithinMs} ms` : describeError(err);
      throw new StartupError(
        `REDIS_URL: cannot reach Redis at ${addressOf(url)} (${why}${lastError ? `; last error: ${lastError}` : ''}); check REDIS_URL, or raise STARTUP_TIMEOUT_MS`,
        ExitCode.unreachable,
      );
    }
    return store;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (!this.client.isReady || this.hung || this.closing) {
      throw new StoreUnavailableError();
    }
    try {
      return await this.deadlines.run(op());
    } catch (err) {
      if (err instanceof DeadlineExceededError) {
        this.probeUntilAnswered();
      }
      throw new StoreUnavailableError(err);
    }
  }

  /**
   * A write, acknowledged only once REDIS_WAIT_REPLICAS replicas have it: after a Sentinel failover
   * the new master then holds every write the store reported done. Not replicated in time: 503.
   */
  private write<T>(op: () => Promise<T>): Promise<T> {
    if (this.waitReplicas === 0) {
      return this.run(op);
    }
    return this.run(async () => {
      const result = await op();
      const replicas = await this.client.wait(this.waitReplicas, Math.max(1, Math.floor(this.timeoutMs / 2)));
      if (replicas < this.waitReplicas) {
        throw new Error(`write reached ${replicas} of ${this.waitReplicas} replicas in time`);
      }
      return result;
    });
  }

  /** Marks the store hung and PINGs (one at a time, each with the deadline) until Redis answers. */
  private probeUntilAnswered(): void {
    if (this.hung) {
      return;
    }
    this.hung = true;
    this.logger.warn(`redis: no answer within ${this.timeoutMs} ms; failing fast until it answers`);
    const probe = async (): Promise<void> => {
      while (this.hung && !this.closing) {
        const started = Date.now();
        try {
          await withDeadline(this.client.ping(), this.timeoutMs);
          this.hung = false;
          this.logger.log('redis: answering again');
        } catch {
          // Offline errors return at once: do not spin while the client reconnects.
          await sleep(Math.max(0, 100 - (Date.now() - started)));
        }
      }
    };
    void probe();
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.write(() =>
      this.client.set(this.k(key), value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.write(() =>
      this.client.set(this.k(key), value, { expiration: { type: 'EX', value: ttlSeconds }, condition: 'NX' }),
    );
    return reply === 'OK';
  }

  async get(key: string): Promise<string | null> {
    return (await this.run(() => this.client.get(this.k(key)))) ?? null;
  }

  async take(key: string): Promise<string | null> {
    return (await this.write(() => this.client.getDel(this.k(key)))) ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.write(() => this.client.del(this.k(key)));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const reply = await this.write(() =>
      this.client.eval(INCREMENT_WITH_TTL, { keys: [this.k(key)], arguments: [String(ttlSeconds)] }),
    );
    return Number(reply);
  }

  async ttl(key: string): Promise<number | null> {
    const seconds = await this.run(() => this.client.ttl(this.k(key)));
    return seconds < 0 ? null : seconds;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(() => this.client.publish(this.k(channel), message));
  }

  async subscribe(channel: string, handler: (message: string) => void, onMissed?: () => void): Promise<void> {
    if (onMissed) {
      this.missedHandlers.push(onMissed);
    }
    if (!this.subscriber) {
      this.subscriber = this.client.duplicate();
      this.subscriber.on('error', () => undefined); // the main client already reports outages
      let connectedBefore = false;
      this.subscriber.on('ready', () => {
        // node-redis resubscribes after a reconnect; what was published meanwhile is lost.
        if (connectedBefore) {
          this.missedHandlers.forEach((h) => h());
        }
        connectedBefore = true;
      });
      await this.subscriber.connect();
    }
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
    if (list.length === 1) {
      await this.subscriber.subscribe(this.k(channel), (message: string) => {
        for (const h of this.handlers.get(channel) ?? []) {
          h(message);
        }
      });
    }
  }

  async ping(): Promise<void> {
    await this.run(() => this.client.ping());
  }

  /** Waits for pending replies at most STORE_TIMEOUT_MS (a hung Redis never sends them), then drops the sockets. */
  async close(): Promise<void> {
    this.closing = true;
    const closeWithin = async (client: Client | undefined): Promise<void> => {
      if (!client?.isOpen) {
        return;
      }
      try {
        await withDeadline(client.close(), this.timeoutMs);
      } catch {
        client.destroy();
      }
    };
    await Promise.allSettled([closeWithin(this.subscriber), closeWithin(this.client)]);
  }
}
