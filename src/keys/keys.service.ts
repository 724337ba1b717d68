import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { JWK } from 'jose';
import { AuditWriter } from '../audit/audit-writer.js';
import { AppConfig } from '../config/app-config.js';
import { Transactions } from '../database/transactions.js';
import { KeyEncryption } from '../common/crypto/key-encryption.js';
import { Metrics } from '../metrics/metrics.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { CLOCK_SKEW, MAX_ACCESS_TOKEN_TTL } from '../tokens/access-tokens/access-token-limits.js';
import type { JwsSigner } from './jws-signer.js';
import { generateKeyPair } from './key-material.js';
import { loadKey, selectActive, type KeyState, type LoadedKey } from './loaded-key.js';
import { SigningKeyEntity, type SigningAlg } from './signing-key.entity.js';
import { SigningKeyRepository } from './signing-key.repository.js';

export const KEYS_CHANGED_CHANNEL = 'keys:changed';
const RELOAD_INTERVAL_MS = 60_000;

export type { KeyState, LoadedKey };

/**
 * Signing keys, held in memory (nothing is read from the database per request). Loads at
 * start (creating the first key if there is none), reloads every minute and on a
 * 'keys:changed' message, and rotates automatically every KEY_ROTATION_INTERVAL: the next
 * key is published KEY_PUBLISH_LEAD_TIME before it signs, and a retired key stays published
 * until every token it signed has expired. See docs/keys.md.
 */
@Injectable()
export class KeysService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KeysService.name);
  private readonly encryption: KeyEncryption;
  private keys: LoadedKey[] = [];
  private byKid = new Map<string, LoadedKey>();
  private current: JwsSigner | null = null;
  private currentUntil = 0;
  private byAlg = new Map<SigningAlg, { signer: JwsSigner | null; until: number }>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly repo: SigningKeyRepository,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
    @Optional() metrics?: Metrics,
  ) {
    this.encryption = new KeyEncryption(config.env.KEY_ENCRYPTION_SECRET);
    metrics?.onKeyAge(() => this.activeAgeSeconds());
    metrics?.onNextRotation(() => this.nextRotationSeconds());
  }

  /** Seconds since the signing key in use became active (tessera_signing_key_active_age_seconds). */
  private activeAgeSeconds(now = Date.now()): number | undefined {
    const kid = this.current?.kid ?? this.keys.find((k) => k.activatesAt <= now)?.kid;
    const key = kid === undefined ? undefined : this.byKid.get(kid);
    return key ? (now - key.activatesAt) / 1000 : undefined;
  }

  /** Seconds until rotateIfDue() creates the next key (tessera_signing_key_next_rotation_seconds). */
  private nextRotationSeconds(now = Date.now()): number | undefined {
    const newest = this.keys[0];
    const { KEY_ROTATION_INTERVAL, KEY_PUBLISH_LEAD_TIME } = this.config.env;
    return newest
      ? (newest.activatesAt + (KEY_ROTATION_INTERVAL - KEY_PUBLISH_LEAD_TIME) * 1000 - now) / 1000
      : undefined;
  }

  async onModuleInit(): Promise<void> {
    const reloadSoon = () => {
      this.reload().catch((err: unknown) => this.logger.warn(`key reload failed: ${String(err)}`));
    };
    await this.store.subscribe(KEYS_CHANGED_CHANNEL, reloadSoon, reloadSoon);
    await this.reload();
    await this.rotateIfDue();
    this.timer = setInterval(() => void this.tick(), RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The signer of the active key (hot path: no I/O, recomputed only when a key activates). */
  signer(now = Date.now()): JwsSigner {
    if (this.current === null || now >= this.currentUntil) {
      ({ signer: this.current, until: this.currentUntil } = selectActive(this.keys, now));
    }
    if (this.current === null) {
      throw new Error('no signing key loaded');
    }
    return this.current;
  }

  /**
   * The active signer of an algorithm (ID tokens per client id_token_signed_response_alg): the
   * primary key when it has that algorithm, else its generation's RS256 companion. Falls back
   * to the primary signer when no key of that algorithm exists (see idTokenAlgs()).
   */
  signerFor(alg: SigningAlg, now = Date.now()): JwsSigner {
    let entry = this.byAlg.get(alg);
    if (!entry || now >= entry.until) {
      entry = selectActive(this.keys, now, (k) => k.alg === alg);
      this.byAlg.set(alg, entry);
    }
    return entry.signer ?? this.signer(now);
  }

  /** The public key for a kid, while it is published; null otherwise. */
  publicKey(kid: string, now = Date.now()): LoadedKey | null {
    const key = this.byKid.get(kid);
    return key && (key.expiresAt === null || key.expiresAt > now) ? key : null;
  }

  /** RFC 7517 JWK Set of every published key (pending, active and retired-but-unexpired). */
  jwks(now = Date.now()): { keys: JWK[] } {
    return {
      keys: this.keys.filter((k) => k.expiresAt === null || k.expiresAt > now).map((k) => k.publicJwk),
    };
  }

  /** Published keys with their states, for the admin API. */
  list(now = Date.now()): (LoadedKey & { state: KeyState })[] {
    const activeKids = new Set([this.signer(now).kid, this.signerFor('RS256', now).kid]);
    return this.keys
      .filter((k) => k.expiresAt === null || k.expiresAt > now)
      .map((k) => ({
        ...k,
        state: activeKids.has(k.kid) ? 'active' : k.activatesAt > now ? 'pending' : 'retired',
      }));
  }

  /**
   * Creates the next key now: published at once, signing after KEY_PUBLISH_LEAD_TIME; the
   * current newest key retires then. Returns the new key, or the one a concurrent instance
   * created for the same generation.
   */
  async rotate(now = new Date()): Promise<LoadedKey> {
    const activatesAt = new Date(now.getTime() + this.config.env.KEY_PUBLISH_LEAD_TIME * 1000);
    const latest = await this.repo.findLatest();
    const created = await this.createGeneration((latest?.generation ?? 0) + 1, now, activatesAt);
    await this.reload();
    const key =
      this.keys.find((k) => k.generation === created && !k.companion) ?? this.keys.find((k) => !k.companion);
    if (!key) {
      throw new Error('signing key rotation failed');
    }
    return key;
  }

  /** Reloads keys from the database (coalesces concurrent calls). */
  async reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async tick(): Promise<void> {
    try {
      await this.reload();
      await this.rotateIfDue();
      await this.repo.deleteExpired(new Date());
    } catch (err) {
      this.logger.warn(`signing key maintenance failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * First key at first start; the next one once the newest has signed for
   * KEY_ROTATION_INTERVAL minus the lead time, so it activates exactly one interval after it.
   */
  async rotateIfDue(now = new Date()): Promise<void> {
    const newest = this.keys.find((k) => !k.companion);
    const { KEY_ROTATION_INTERVAL, KEY_PUBLISH_LEAD_TIME } = this.config.env;
    if (!newest) {
      await this.createGeneration(1, now, now);
    } else if (newest.activatesAt + (KEY_ROTATION_INTERVAL - KEY_PUBLISH_LEAD_TIME) * 1000 <= now.getTime()) {
      await this.createGeneration(
        newest.generation + 1,
        now,
        new Date(now.getTime() + KEY_PUBLISH_LEAD_TIME * 1000),
      );
    } else {
      await this.ensureCompanions(now);
      return;
    }
    await this.reload();
    await this.ensureCompanions(now);
  }

  /**
   * Inserts generation N and schedules N-1's retirement. Instances sharing the database race
   * on the unique generation: the loser's insert fails and it only reloads, so there is never
   * more than one successor of a key. Returns the generation that now exists.
   */
  private async createGeneration(generation: number, now: Date, activatesAt: Date): Promise<number> {
    const alg = this.config.env.SIGNING_ALG;
    const pair = await generateKeyPair(alg);
    const entity = Object.assign(new SigningKeyEntity(), {
      kid: pair.kid,
      generation,
      alg,
      publicJwk: pair.publicJwk,
      privateKeyEncrypted: this.encryption.encrypt(pair.privateDer, pair.kid),
      createdAt: now,
      activatesAt,
      retiresAt: null,
      expiresAt: null,
    });
    if (!(await this.repo.insertGeneration(entity))) {
      this.logger.log(`signing key generation ${generation} was created by another instance`);
      return generation;
    }
    if (alg !== 'RS256') {
      await this.insertCompanion(generation, now, activatesAt, null, null);
    }
    // The insert stays one autocommit statement (instances race on it); the predecessor's
    // retirement and the audit event commit together.
    await this.tx.run(async (m) => {
      if (generation > 1) {
        const expiresAt = activatesAt.getTime() + (MAX_ACCESS_TOKEN_TTL + CLOCK_SKEW) * 1000;
        await this.repo.retire(generation - 1, activatesAt, new Date(expiresAt), m);
      }
      await this.audit.record(m, {
        type: 'key.rotated',
        subject: { type: 'signing_key', id: pair.kid },
        data: { alg, generation, activates_at: activatesAt.toISOString() },
      });
    });
    this.logger.log(
      `signing key ${pair.kid} (${alg}, generation ${generation}) created; signs from ${activatesAt.toISOString()}`,
    );
    await this.store.publish(KEYS_CHANGED_CHANNEL, pair.kid).catch(() => undefined);
    return generation;
  }

  /** The generation's RS256 key for ID tokens; false when another instance inserted it first. */
  private async insertCompanion(
    generation: number,
    now: Date,
    activatesAt: Date,
    retiresAt: Date | null,
    expiresAt: Date | null,
  ): Promise<boolean> {
    const pair = await generateKeyPair('RS256');
    const entity = Object.assign(new SigningKeyEntity(), {
      kid: pair.kid,
      generation,
      companion: true,
      alg: 'RS256' as const,
      publicJwk: pair.publicJwk,
      privateKeyEncrypted: this.encryption.encrypt(pair.privateDer, pair.kid),
      createdAt: now,
      activatesAt,
      retiresAt,
      expiresAt,
    });
    const inserted = await this.repo.insertGeneration(entity);
    if (inserted) {
      this.logger.log(`signing key ${pair.kid} (RS256 companion of generation ${generation}) created`);
      await this.store.publish(KEYS_CHANGED_CHANNEL, pair.kid).catch(() => undefined);
    }
    return inserted;
  }

  /**
   * Keys created before companions existed (or with SIGNING_ALG changed since): every signing
   * generation without an RS256 key gets one with the same lifecycle, so RS256 ID tokens work
   * at once after an upgrade.
   */
  private async ensureCompanions(now: Date): Promise<void> {
    const generations = new Set(
      this.keys.filter((k) => k.companion || k.alg === 'RS256').map((k) => k.generation),
    );
    let created = false;
    for (const key of this.keys) {
      const signing = key.retiresAt === null || key.retiresAt > now.getTime();
      if (key.companion || !signing || generations.has(key.generation)) {
        continue;
      }
      generations.add(key.generation);
      created =
        (await this.insertCompanion(
          key.generation,
          now,
          new Date(key.activatesAt),
          key.retiresAt === null ? null : new Date(key.retiresAt),
          key.expiresAt === null ? null : new Date(key.expiresAt),
        )) || created;
    }
    if (created) {
      await this.reload();
    }
  }

  private async load(): Promise<void> {
    const now = Date.now();
    const rows = await this.repo.findPublished(new Date(now));
    const previous = this.byKid;
    this.keys = rows.map((row) => loadKey(row, previous.get(row.kid), now, this.encryption));
    this.byKid = new Map(this.keys.map((k) => [k.kid, k]));
    this.current = null;
    this.byAlg = new Map();
  }
}
