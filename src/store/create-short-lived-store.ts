import { Logger } from '@nestjs/common';
import { firstTime } from '../common/logging/json-logger.js';
import type { AppConfig } from '../config/app-config.js';
import { MemoryShortLivedStore } from './memory-short-lived.store.js';
import { RedisShortLivedStore } from './redis-short-lived.store.js';
import type { ShortLivedStore } from './short-lived-store.js';

const UNSET_WARNING =
  'REDIS_URL is unset: using the in-process short-lived store. It is single-instance only; set REDIS_URL before running more than one instance.';

/** Picks the adapter from REDIS_URL. */
export async function createShortLivedStore(
  config: AppConfig,
  prefix = 'tessera:',
): Promise<ShortLivedStore> {
  if (config.redisUrl) {
    return RedisShortLivedStore.connect(config.redisUrl, {
      prefix,
      timeoutMs: config.env.STORE_TIMEOUT_MS,
      connectWithinMs: config.env.STARTUP_TIMEOUT_MS,
      waitReplicas: config.env.REDIS_WAIT_REPLICAS,
    });
  }
  if (firstTime(`store-unset|${UNSET_WARNING}`)) {
    new Logger('Store').warn(UNSET_WARNING);
  }
  return new MemoryShortLivedStore();
}
