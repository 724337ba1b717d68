import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from '../../config/app-config.js';

/**
 * Human passwords: argon2id with the PASSWORD_HASH_* parameters (ADR 0005; default OWASP's
 * m = 19 MiB, t = 2, p = 1). Each hash carries its own parameters, so changing them never locks
 * anyone out: `needsRehash` tells the login to store a new hash.
 *
 * At most PASSWORD_HASH_CONCURRENCY hashes run at once (default: the cores this process may use);
 * the rest wait their turn in arrival order. argon2 runs on libuv's thread pool (4 threads): left
 * alone, four 19 MiB hashes on one core share its cache and its time slices with the event loop, and
 * every login gets slower. Queued, each hash runs at full speed and the pool keeps a thread free for
 * file and DNS work.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions & { raw?: false };
  private readonly limit: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(config: AppConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.env.PASSWORD_HASH_MEMORY_KIB,
      timeCost: config.env.PASSWORD_HASH_TIME_COST,
      parallelism: config.env.PASSWORD_HASH_PARALLELISM,
    };
    this.limit = config.env.PASSWORD_HASH_CONCURRENCY || availableParallelism();
  }

  /** How many hashes may run at once (PASSWORD_HASH_CONCURRENCY, or the usable cores). */
  get concurrency(): number {
    return this.limit;
  }

  /** Hashes running now, and calls waiting for a turn. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  hash(password: string): Promise<string> {
    return this.inTurn(() => argon2.hash(password, this.options));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.inTurn(() => argon2.verify(hash, password));
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

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next(); // the slot passes straight to the next in line
      } else {
        this.running -= 1;
      }
    }
  }
}
