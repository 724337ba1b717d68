import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

/**
 * RFC 8628 §5.1 (R-DEV): user-code entries counted per client IP and per browser session in
 * fixed windows of DEVICE_USER_CODE_ATTEMPTS_WINDOW. Every entry is counted BEFORE the lookup
 * (an atomic increment), so concurrent guesses cannot slip past the limit between check and
 * count. With the defaults (10 per IP per 60 s, codes living 600 s) one IP gets at most 100
 * guesses at a code's 20^8 ≈ 2.56 × 10^10 space during its life: 3.9 × 10^-9 per code.
 */
@Injectable()
export class UserCodeEntryLimiter {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  /** Counts one entry; seconds to wait when a limit is exceeded, else null. */
  async hit(ip: string, browserId: string): Promise<number | null> {
    const env = this.config.env;
    const window = env.DEVICE_USER_CODE_ATTEMPTS_WINDOW;
    const keys = { ip: `device-entry:ip:${ip}`, browser: `device-entry:browser:${browserId}` };
    const [byIp, byBrowser] = await Promise.all([
      this.store.increment(keys.ip, window),
      this.store.increment(keys.browser, window),
    ]);
    const blocked: string[] = [];
    if (byIp > env.DEVICE_USER_CODE_ATTEMPTS_PER_IP) {
      blocked.push(keys.ip);
    }
    if (byBrowser > env.DEVICE_USER_CODE_ATTEMPTS_PER_SESSION) {
      blocked.push(keys.browser);
    }
    if (blocked.length === 0) {
      return null;
    }
    const ttls = await Promise.all(blocked.map((k) => this.store.ttl(k)));
    return Math.max(1, ...ttls.map((t) => t ?? 1));
  }
}
