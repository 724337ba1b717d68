export class DeadlineExceededError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles like `work`, or rejects with DeadlineExceededError after `ms`. `work` itself is not
 * cancelled: node-redis has no way to take back a command already written to the socket.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Pending {
  readonly at: number;
  readonly reject: (err: Error) => void;
}

/**
 * `withDeadline` for many calls with one timeout, on one timer: each call costs an entry in a set
 * instead of a timer and a `Promise.race` (every Redis command takes this path). Calls are
 * swept in arrival order, which is their deadline order; a deadline fires at most one tick
 * (a tenth of the timeout, 1–50 ms) late. The timer runs only while calls are pending.
 */
export class Deadlines {
  private readonly pending = new Set<Pending>();
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.tickMs = Math.min(50, Math.max(1, Math.ceil(ms / 10)));
  }

  /** Settles like `work`, or rejects with DeadlineExceededError once the timeout has passed. */
  run<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { at: Date.now() + this.ms, reject };
      this.pending.add(entry);
      this.timer ??= setInterval(() => this.sweep(), this.tickMs).unref();
      work.then(
        (value) => {
          this.pending.delete(entry);
          resolve(value);
        },
        (err: Error) => {
          this.pending.delete(entry);
          reject(err);
        },
      );
    });
  }

  /** Calls waiting for an answer (for tests). */
  get size(): number {
    return this.pending.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.at > now) {
        break;
      }
      this.pending.delete(entry);
      entry.reject(new DeadlineExceededError(this.ms));
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
