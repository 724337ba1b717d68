import { EventEmitter } from 'node:events';
import type { ShortLivedStore } from './short-lived-store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process adapter: one Map with lazy expiry plus a periodic sweep. Single instance only. */
export class MemoryShortLivedStore implements ShortLivedStore {
  private readonly entries = new Map<string, Entry>();
  private readonly bus = new EventEmitter();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.bus.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
      }
    }
  }

  /** Every live entry (for tests that inspect what is at rest; not part of the store port). */
  snapshot(): [key: string, value: string][] {
    this.sweep();
    return [...this.entries].map(([key, entry]) => [key, entry.value]);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }

  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) {
      return Promise.resolve(false);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return Promise.resolve(true);
  }

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.live(key)?.value ?? null);
  }

  take(key: string): Promise<string | null> {
    const entry = this.live(key);
    this.entries.delete(key);
    return Promise.resolve(entry?.value ?? null);
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  increment(key: string, ttlSeconds: number): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + 1;
    this.entries.set(key, {
      value: String(next),
      expiresAt: entry ? entry.expiresAt : this.now() + ttlSeconds * 1000,
    });
    return Promise.resolve(next);
  }

  ttl(key: string): Promise<number | null> {
    const entry = this.live(key);
    return Promise.resolve(entry ? Math.ceil((entry.expiresAt - this.now()) / 1000) : null);
  }

  publish(channel: string, message: string): Promise<void> {
    // Asynchronous like Redis: subscribers run after the publisher continues.
    setImmediate(() => this.bus.emit(channel, message));
    return Promise.resolve();
  }

  /** In-process delivery never loses a message, so `onMissed` is never called. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    this.bus.on(channel, handler);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.bus.removeAllListeners();
    return Promise.resolve();
  }
}
