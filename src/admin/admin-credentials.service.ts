import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { constantTimeEqual, generateSecret, hashSecret } from '../common/crypto/secret-hash.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { AdminTokenEntity } from './admin-token.entity.js';

const BOOTSTRAP_ID = 'bootstrap';
/** Published after `tessera admin-token reset`: every instance re-reads the stored hash. */
export const ADMIN_TOKEN_CHANGED_CHANNEL = 'admin-token:changed';

/**
 * Replaces the stored admin token with a new one and tells running instances; returns the new
 * token (to show once). Not for ADMIN_TOKEN deployments: that one lives in the environment.
 */
export async function resetStoredAdminToken(
  tokens: Repository<AdminTokenEntity>,
  store: ShortLivedStore,
): Promise<string> {
  const token = generateSecret();
  await tokens.upsert({ id: BOOTSTRAP_ID, tokenHash: hashSecret(token), createdAt: new Date() }, ['id']);
  await store.publish(ADMIN_TOKEN_CHANGED_CHANNEL, 'reset').catch(() => undefined);
  return token;
}

/**
 * Holds the hash of the admin bearer credential in memory. ADMIN_TOKEN wins; otherwise a
 * token is generated on first start, printed once to stdout and only its hash is stored.
 */
@Injectable()
export class AdminCredentialsService implements OnModuleInit {
  private readonly logger = new Logger('AdminCredentials');
  private tokenHash: string | undefined;
  /** Which credential is in force, as audit events name the admin actor. */
  principal: 'ADMIN_TOKEN' | 'bootstrap' = 'bootstrap';

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(AdminTokenEntity) private readonly tokens: Repository<AdminTokenEntity>,
    @Optional() @Inject(SHORT_LIVED_STORE) private readonly store?: ShortLivedStore,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.env.ADMIN_TOKEN) {
      this.tokenHash = hashSecret(this.config.env.ADMIN_TOKEN);
      this.principal = 'ADMIN_TOKEN';
      return;
    }
    await this.store?.subscribe(ADMIN_TOKEN_CHANGED_CHANNEL, () => void this.reloadStored());
    const existing = await this.tokens.findOneBy({ id: BOOTSTRAP_ID });
    if (existing) {
      this.tokenHash = existing.tokenHash;
      return;
    }
    const token = generateSecret();
    try {
      await this.tokens.insert({ id: BOOTSTRAP_ID, tokenHash: hashSecret(token), createdAt: new Date() });
    } catch {
      // Another instance generated it first: use theirs.
      const winner = await this.tokens.findOneByOrFail({ id: BOOTSTRAP_ID });
      this.tokenHash = winner.tokenHash;
      return;
    }
    this.tokenHash = hashSecret(token);
    // Printed once, outside the structured log, so it never lands in log storage by accident.
    process.stdout.write(
      `\n  Tessera generated the admin token (shown once, only its hash is stored):\n\n    ${token}\n\n` +
        '  Use it as "Authorization: Bearer <token>" on the admin API, or set ADMIN_TOKEN.\n\n',
    );
    this.logger.warn('ADMIN_TOKEN is unset: generated a bootstrap admin token (printed once on stdout)');
  }

  private async reloadStored(): Promise<void> {
    const row = await this.tokens.findOneBy({ id: BOOTSTRAP_ID }).catch(() => null);
    if (row) {
      this.tokenHash = row.tokenHash;
    }
  }

  verify(presented: string): boolean {
    return this.tokenHash !== undefined && constantTimeEqual(hashSecret(presented), this.tokenHash);
  }
}
