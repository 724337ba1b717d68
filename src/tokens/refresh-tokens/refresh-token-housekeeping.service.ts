import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';

const BATCH_SIZE = 500;
const BATCHES_PER_RUN = 4;
/** Revoked families stay listable this long before they are purged. */
const REVOKED_RETENTION_MS = 24 * 3600 * 1000;

export interface PurgeResult {
  tokens: number;
  families: number;
}

/**
 * Deletes expired refresh tokens and dead families (R-RT-12 housekeeping) every
 * REFRESH_TOKEN_PURGE_INTERVAL seconds. Bounded work per run (at most 4 batches of 500 ids per
 * kind); every delete is by primary key or indexed family id, so several instances running it at
 * once only repeat idempotent deletes and never hold long locks.
 */
@Injectable()
export class RefreshTokenHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RefreshTokenHousekeeping');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly repository: RefreshTokenRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.env.REFRESH_TOKEN_PURGE_INTERVAL;
    if (seconds > 0) {
      // Jitter so that instances started together do not purge in lockstep.
      this.timer = setInterval(() => void this.tick(), seconds * 1000 + Math.floor(Math.random() * 1000));
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      const result = await this.purgeExpired();
      if (result.tokens + result.families > 0) {
        this.logger.log(`purged ${result.tokens} refresh tokens and ${result.families} families`);
      }
    } catch (err) {
      this.logger.warn(`purge failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** One bounded purge run; callable from tests and ops tooling. */
  async purgeExpired(now = new Date()): Promise<PurgeResult> {
    const result: PurgeResult = { tokens: 0, families: 0 };
    const revokedBefore = new Date(now.getTime() - REVOKED_RETENTION_MS);
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const ids = await this.repository.deadFamilyIds(now, revokedBefore, BATCH_SIZE);
      await this.repository.deleteFamilies(ids);
      result.families += ids.length;
      if (ids.length < BATCH_SIZE) {
        break;
      }
    }
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const hashes = await this.repository.expiredTokenHashes(now, BATCH_SIZE);
      await this.repository.deleteTokens(hashes);
      result.tokens += hashes.length;
      if (hashes.length < BATCH_SIZE) {
        break;
      }
    }
    return result;
  }
}
