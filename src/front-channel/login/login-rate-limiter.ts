import { Inject, Injectable } from '@nestjs/common';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { usernameKey } from '../../owners/username-key.js';
import { SecuritySignals } from '../../security/security-signals.js';
import { sleep } from '../../store/deadline.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

/** First delay once a username passes LOGIN_DELAY_AFTER_FAILURES; doubles per attempt up to the cap. */
const BASE_DELAY_MS = 250;

export type LoginReservation = { retryAfter: number } | { retryAfter: null };

/**
 * R-SEC-6 (policy in docs/owners.md), in fixed windows of LOGIN_RATE_LIMIT_WINDOW seconds kept in
 * the short-lived store so they hold across instances:
 *
 * - every attempt is counted atomically (INCR) BEFORE the password is verified, so concurrent
 *   requests cannot pass the limits (issue 16 L4);
 * - hard limits apply per source address (LOGIN_RATE_LIMIT_PER_IP) and per (username, source
 *   address) (LOGIN_RATE_LIMIT_PER_USERNAME): nobody can lock a user out from elsewhere (L5);
 * - per username, attempts beyond LOGIN_DELAY_AFTER_FAILURES wait a doubling delay (capped at
 *   LOGIN_DELAY_MAX_MS) before verification: a slowdown, never a lock.
 *
 * A successful login clears its (username, address) and username counters and is credited back
 * to the address (at most LOGIN_RATE_LIMIT_PER_IP per window), so people behind one NAT are not
 * throttled by their own successes.
 * Unknown usernames are counted like known ones, so the limiter reveals nothing.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
    private readonly signals: SecuritySignals,
  ) {}

  private keys(ip: string, username: string): { ip: string; ipOk: string; pair: string; user: string } {
    const user = hashSecret(usernameKey(username.slice(0, 200)));
    return {
      ip: `login-try:ip:${ip}`,
      ipOk: `login-ok:ip:${ip}`,
      pair: `login-try:pair:${hashSecret(`${user}\n${ip}`)}`,
      user: `login-try:user:${user}`,
    };
  }

  /**
   * Counts this attempt and answers whether it may go on to password verification: when a hard
   * limit is passed, the seconds to wait (429); otherwise null, after the username's delay.
   */
  async reserve(ip: string, username: string): Promise<LoginReservation> {
    const keys = this.keys(ip, username);
    const env = this.config.env;
    const window = env.LOGIN_RATE_LIMIT_WINDOW;
    const [byIp, ipOk, byPair, byUser] = await Promise.all([
      this.store.increment(keys.ip, window),
      this.store.get(keys.ipOk),
      username ? this.store.increment(keys.pair, window) : Promise.resolve(0),
      username ? this.store.increment(keys.user, window) : Promise.resolve(0),
    ]);
    const blocked: string[] = [];
    // Successes are credited back, at most LOGIN_RATE_LIMIT_PER_IP of them (an attacker's own
    // account cannot buy unlimited attempts).
    const credit = Math.min(Number(ipOk ?? 0), env.LOGIN_RATE_LIMIT_PER_IP);
    if (byIp - credit > env.LOGIN_RATE_LIMIT_PER_IP) {
      blocked.push(keys.ip);
    }
    if (byPair > env.LOGIN_RATE_LIMIT_PER_USERNAME) {
      blocked.push(keys.pair);
    }
    if (byPair === env.LOGIN_RATE_LIMIT_PER_USERNAME + 1) {
      this.signals.burst({
        kind: 'owner_login',
        subject: keys.user.slice('login-try:user:'.length, 'login-try:user:'.length + 16),
        sourceAddress: ip,
        failures: byPair - 1,
        windowSeconds: window,
      });
    }
    if (blocked.length > 0) {
      const ttls = await Promise.all(blocked.map((k) => this.store.ttl(k)));
      return { retryAfter: Math.max(1, ...ttls.map((t) => t ?? 1)) };
    }
    const delay = this.delayMs(byUser);
    if (delay > 0) {
      await sleep(delay);
    }
    return { retryAfter: null };
  }

  /** The wait before verifying the n-th attempt on one username within the window. */
  delayMs(attempt: number): number {
    const over = attempt - this.config.env.LOGIN_DELAY_AFTER_FAILURES;
    if (over <= 0) {
      return 0;
    }
    return Math.min(BASE_DELAY_MS * 2 ** Math.min(over - 1, 20), this.config.env.LOGIN_DELAY_MAX_MS);
  }

  /** The password was right: the pair and username start afresh; the address gets its attempt back. */
  async recordSuccess(ip: string, username: string): Promise<void> {
    const keys = this.keys(ip, username);
    await Promise.all([
      this.store.delete(keys.pair),
      this.store.delete(keys.user),
      this.store.increment(keys.ipOk, this.config.env.LOGIN_RATE_LIMIT_WINDOW),
    ]);
  }
}
