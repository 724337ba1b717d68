import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { MemoryShortLivedStore } from './memory-short-lived.store.js';
import { RedisShortLivedStore } from './redis-short-lived.store.js';
import type { ShortLivedStore } from './short-lived-store.js';

/** Picks the adapter from REDIS_URL. */
export async function createShortLivedStore(
  config: AppConfig,
  prefix = 'tessera:',
): Promise<ShortLivedStore> {
  if (config.redisUrl) {
    return RedisShortLivedStore.connect(config.redisUrl, { prefix, timeoutMs: config.env.STORE_TIMEOUT_MS });
  }
  new Logger('Store').warn(
    'REDIS_URL is unset: using the in-process short-lived store. It is single-instance only; set REDIS_URL before running more than one instance.',
  );
  return new MemoryShortLivedStore();
}
