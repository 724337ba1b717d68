import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from '../../config/app-config.js';

/**
 * Human passwords: argon2id with the PASSWORD_HASH_* parameters (ADR 0005; default OWASP's
 * m = 19 MiB, t = 2, p = 1). Each hash carries its own parameters, so changing them never locks
 * anyone out: `needsRehash` tells the login to store a new hash.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions & { raw?: false };

  constructor(config: AppConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.env.PASSWORD_HASH_MEMORY_KIB,
      timeCost: config.env.PASSWORD_HASH_TIME_COST,
      parallelism: config.env.PASSWORD_HASH_PARALLELISM,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** True when `hash` was made with other parameters than the configured ones. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, this.options);
    } catch {
      return true;
    }
  }
}
