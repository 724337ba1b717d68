import { loadConfig } from '../../config/app-config.js';
import { SecuritySignals } from '../../security/security-signals.js';
import { MemoryShortLivedStore } from '../../store/memory-short-lived.store.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

function limiter(env: Record<string, string> = {}) {
  const config = loadConfig({
    LOGIN_RATE_LIMIT_PER_USERNAME: '10',
    LOGIN_RATE_LIMIT_PER_IP: '30',
    LOGIN_DELAY_AFTER_FAILURES: '5',
    LOGIN_DELAY_MAX_MS: '0',
    ...env,
  });
  const signals = new SecuritySignals();
  return { limiter: new LoginRateLimiter(new MemoryShortLivedStore(), config, signals), signals };
}

describe('LoginRateLimiter (issue 16 L4/L5)', () => {
  it('ISSUE16-L4 / R-SEC-6: 40 concurrent attempts on one user from one address → exactly 10 reach verification', async () => {
    const { limiter: l, signals } = limiter();
    const answers = await Promise.all(Array.from({ length: 40 }, () => l.reserve('198.51.100.1', 'alice')));
    expect(answers.filter((a) => a.retryAfter === null)).toHaveLength(10);
    expect(answers.filter((a) => a.retryAfter !== null)).toHaveLength(30);
    expect(signals.count('owner_login')).toBe(1);
  });

  it('ISSUE16-L5 / R-SEC-6: failures from one address never refuse the same username from another', async () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 20; i++) {
      await l.reserve('198.51.100.1', 'alice');
    }
    expect((await l.reserve('198.51.100.1', 'alice')).retryAfter).toBeGreaterThan(0);
    expect((await l.reserve('203.0.113.5', 'alice')).retryAfter).toBeNull();
  });

  it('ISSUE16-L5: per-username delay doubles from 250 ms after the free attempts, up to the cap', () => {
    const { limiter: l } = limiter({ LOGIN_DELAY_MAX_MS: '8000' });
    expect([1, 5, 6, 7, 8, 10, 11, 12, 50].map((n) => l.delayMs(n))).toEqual([
      0, 0, 250, 500, 1000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('the per-address limit counts attempts, with successes credited back (at most the limit)', async () => {
    const { limiter: l } = limiter({ LOGIN_RATE_LIMIT_PER_IP: '3' });
    for (let i = 0; i < 3; i++) {
      expect((await l.reserve('192.0.2.9', `user${i}`)).retryAfter).toBeNull();
      await l.recordSuccess('192.0.2.9', `user${i}`);
    }
    expect((await l.reserve('192.0.2.9', 'someone')).retryAfter).toBeNull();
    for (let i = 0; i < 2; i++) {
      await l.reserve('192.0.2.9', `other${i}`);
    }
    expect((await l.reserve('192.0.2.9', 'late')).retryAfter).toBeGreaterThan(0);
  });
});
