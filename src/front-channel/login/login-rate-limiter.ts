import { Inject, Injectable } from '@nestjs/common';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { usernameKey } from '../../owners/username-key.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

/**
 * R-SEC-6: failed logins counted per client IP and per username in the short-lived store (so
 * the limits hold across instances), in fixed windows of LOGIN_RATE_LIMIT_WINDOW seconds.
 * Unknown usernames are counted like known ones, so the limiter reveals nothing.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  private keys(ip: string, username: string): { ip: string; user: string } {
    return {
      ip: `login-fail:ip:${ip}`,
      user: `login-fail:user:${hashSecret(usernameKey(username.slice(0, 200)))}`,
    };
  }

  /** Seconds to wait when a limit is reached, else null. */
  async retryAfter(ip: string, username: string): Promise<number | null> {
    const keys = this.keys(ip, username);
    const env = this.config.env;
    const [byIp, byUser] = await Promise.all([this.store.get(keys.ip), this.store.get(keys.user)]);
    const blocked: string[] = [];
    if (Number(byIp ?? 0) >= env.LOGIN_RATE_LIMIT_PER_IP) {
      blocked.push(keys.ip);
    }
    if (username && Number(byUser ?? 0) >= env.LOGIN_RATE_LIMIT_PER_USERNAME) {
      blocked.push(keys.user);
    }
    if (blocked.length === 0) {
      return null;
    }
    const ttls = await Promise.all(blocked.map((k) => this.store.ttl(k)));
    return Math.max(1, ...ttls.map((t) => t ?? 1));
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    const keys = this.keys(ip, username);
    const window = this.config.env.LOGIN_RATE_LIMIT_WINDOW;
    await Promise.all([
      this.store.increment(keys.ip, window),
      username ? this.store.increment(keys.user, window) : Promise.resolve(0),
    ]);
  }
}
