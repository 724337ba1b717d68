/**
 * Short-lived state (authorization codes, sessions, replay markers, rate-limit counters,
 * cache invalidation). Two adapters: Redis (production, shared by instances) and an
 * in-process map (single instance only). Every method either succeeds or throws
 * StoreUnavailableError, which the error filter turns into 503 temporarily_unavailable.
 */
export interface ShortLivedStore {
  /** Stores value under key for ttlSeconds, replacing any previous value. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores value only if key is absent; true when stored (atomic). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  /** Atomic get-and-delete: of concurrent callers at most one receives the value. */
  take(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /** Atomic increment; the TTL is set when the counter is created and not extended. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Remaining lifetime in seconds, or null when the key does not exist. */
  ttl(key: string): Promise<number | null>;
  /** Fire-and-forget broadcast to every subscriber, in every instance. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `handler` for every message on `channel`, and `onMissed` whenever messages may have
   * been lost (the subscription was re-established after a connection loss).
   */
  subscribe(channel: string, handler: (message: string) => void, onMissed?: () => void): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SHORT_LIVED_STORE = Symbol('SHORT_LIVED_STORE');

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('short-lived store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
