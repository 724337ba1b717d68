import { Inject, Injectable, Optional } from '@nestjs/common';
import { TooManyRequests } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { Metrics } from '../../metrics/metrics.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

const WINDOW_SECONDS = 300;

/**
 * R-SEC-6: failed client-secret checks are counted per client_id in the shared store (one
 * INCR per failure, none per success). Once CLIENT_AUTH_MAX_FAILURES is reached within five
 * minutes, this instance refuses that client's secrets (429) until the window ends; every
 * instance locks itself on its own next failure, so the hot path never reads the store.
 */
@Injectable()
export class SecretFailureLimiter {
  private readonly locked = new Map<string, number>();

  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  assertNotLocked(clientId: string, now = Date.now()): void {
    const until = this.locked.get(clientId);
    if (until === undefined) {
      return;
    }
    if (until <= now) {
      this.locked.delete(clientId);
      return;
    }
    this.metrics?.throttled.inc({ limiter: 'client_secret' });
    throw new TooManyRequests('too many failed client authentications, retry later').withHeader(
      'Retry-After',
      String(Math.ceil((until - now) / 1000)),
    );
  }

  async recordFailure(clientId: string): Promise<void> {
    const max = this.config.env.CLIENT_AUTH_MAX_FAILURES;
    if (max === 0) {
      return;
    }
    const failures = await this.store.increment(`client-auth-failures:${clientId}`, WINDOW_SECONDS);
    if (failures >= max) {
      if (this.locked.size > 10_000) {
        this.locked.clear();
      }
      this.locked.set(clientId, Date.now() + WINDOW_SECONDS * 1000);
    }
  }
}
