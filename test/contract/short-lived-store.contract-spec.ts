import { randomBytes } from 'node:crypto';
import { MemoryShortLivedStore } from '../../src/store/memory-short-lived.store.js';
import { RedisShortLivedStore } from '../../src/store/redis-short-lived.store.js';
import { shortLivedStoreContract } from './short-lived-store.contract.js';

const redisUrl = process.env.REDIS_URL;

describe('ShortLivedStore contract', () => {
  describe('memory adapter', () => {
    shortLivedStoreContract(() => Promise.resolve(new MemoryShortLivedStore()));
  });

  // Never a silent pass: without REDIS_URL the block is reported as skipped, with the reason.
  (redisUrl ? describe : describe.skip)(
    redisUrl ? 'redis adapter' : 'redis adapter (skipped: REDIS_URL unset)',
    () => {
      shortLivedStoreContract(() =>
        RedisShortLivedStore.connect(redisUrl ?? '', {
          prefix: `tessera-contract-${randomBytes(6).toString('hex')}:`,
          timeoutMs: 2000,
        }),
      );
    },
  );
});
