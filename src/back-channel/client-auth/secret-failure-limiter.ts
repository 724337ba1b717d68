import { Inject, Injectable, Optional } from '@nestjs/common';
import { TooManyRequests } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { SecuritySignals } from '../../security/security-signals.js';
import { Metrics } from '../../metrics/metrics.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

const WINDOW_SECONDS = 300;

/**
 * R-SEC-6: failed client-secret checks are counted per (client_id, source address) in the
 * shared store (one INCR per failure, none per success). Once CLIENT_AUTH_MAX_FAILURES is
 * reached within five minutes, this instance refuses that client's secrets FROM THAT ADDRESS
 * (429) until the window ends; every instance locks itself on its own next failure, so the hot
 * path never reads the store. Client ids are public: failures from one address never refuse a
 * correct secret sent from another (issue 16 M1). Reaching the limit is signalled once per
 * window (SecuritySignals: a `security_burst` warn line and a counter).
 */
@Injectable()
export class SecretFailureLimiter {
  private readonly locked = new Map<string, number>();

  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
    private readonly signals: SecuritySignals,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  private static key(clientId: string, sourceAddress: string): string {
    return `${clientId}\n${sourceAddress}`;
  }

  assertNotLocked(clientId: string, sourceAddress: string, now = Date.now()): void {
    const key = SecretFailureLimiter.key(clientId, sourceAddress);
    const until = this.locked.get(key);
    if (until === undefined) {
      return;
    }
    if (until <= now) {
      this.locked.delete(key);
      return;
    }
    this.metrics?.throttled.inc({ limiter: 'client_secret' });
    throw new TooManyRequests('too many failed client authentications, retry later').withHeader(
      'Retry-After',
      String(Math.ceil((until - now) / 1000)),
    );
  }

  async recordFailure(clientId: string, sourceAddress: string): Promise<void> {
    const max = this.config.env.CLIENT_AUTH_MAX_FAILURES;
    if (max === 0) {
      return;
    }
    const failures = await this.store.increment(
      `client-auth-failures:${clientId}:${sourceAddress}`,
      WINDOW_SECONDS,
    );
    if (failures >= max) {
      if (this.locked.size > 10_000) {
        this.locked.clear();
      }
      this.locked.set(SecretFailureLimiter.key(clientId, sourceAddress), Date.now() + WINDOW_SECONDS * 1000);
    }
    if (failures === max) {
      // Exactly once per (client, address) window across instances: the shared counter passes max once.
      this.signals.burst({
        kind: 'client_auth',
        subject: clientId,
        sourceAddress,
        failures,
        windowSeconds: WINDOW_SECONDS,
      });
    }
  }
}
