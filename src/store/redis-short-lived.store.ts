import { Logger } from '@nestjs/common';
import { createClient, type RedisClientType } from 'redis';
import { StoreUnavailableError, type ShortLivedStore } from './short-lived-store.js';

type Client = RedisClientType;

// INCR, and set the TTL only when the counter was just created (atomic on the server).
const INCREMENT_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * node-redis adapter. Commands fail fast instead of queueing while Redis is away
 * (disableOfflineQueue + a per-command timeout), so callers answer 503 at once, and the
 * client reconnects by itself with capped backoff.
 */
export class RedisShortLivedStore implements ShortLivedStore {
  private readonly logger = new Logger('RedisStore');
  private subscriber: Client | undefined;
  private readonly handlers = new Map<string, ((message: string) => void)[]>();

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
  ) {}

  static async connect(
    url: string,
    options: { prefix: string; timeoutMs: number },
  ): Promise<RedisShortLivedStore> {
    const client: Client = createClient({
      url,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.timeoutMs },
      socket: {
        connectTimeout: options.timeoutMs * 2,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
      },
    });
    const store = new RedisShortLivedStore(client, options.prefix);
    let lastError = '';
    client.on('error', (err: Error) => {
      // Logged once per distinct message, so an outage does not flood the log.
      if (err.message !== lastError) {
        lastError = err.message;
        store.logger.warn(`redis: ${err.message}`);
      }
    });
    client.on('ready', () => {
      lastError = '';
    });
    await client.connect();
    return store;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) {
      throw new StoreUnavailableError();
    }
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.run(() =>
      this.client.set(this.k(key), value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.run(() =>
      this.client.set(this.k(key), value, { expiration: { type: 'EX', value: ttlSeconds }, condition: 'NX' }),
    );
    return reply === 'OK';
  }

  async get(key: string): Promise<string | null> {
    return (await this.run(() => this.client.get(this.k(key)))) ?? null;
  }

  async take(key: string): Promise<string | null> {
    return (await this.run(() => this.client.getDel(this.k(key)))) ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(this.k(key)));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const reply = await this.run(() =>
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

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = this.client.duplicate();
      this.subscriber.on('error', () => undefined); // the main client already reports outages
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

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber?.close(), this.client.close()]);
  }
}
