import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, hashSecret } from '../common/crypto/secret-hash.js';
import { AppConfig } from '../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { formatUserCode, generateUserCode } from './user-code.js';

/** One device authorization request (RFC 8628 §3.1) as kept in the short-lived store. */
export interface DeviceAuthorization {
  clientId: string;
  scope: string;
  resources: string[];
  /** Epoch ms after which polls get expired_token. */
  expiresAt: number;
  /** Seconds between polls as first announced (slow_down adds 5 s each, kept apart). */
  interval: number;
  status: 'pending' | 'approved' | 'denied';
  ownerId?: string;
  /** Epoch seconds of the owner's sign-in. */
  authTime?: number;
  consentGrantId?: string | null;
}

export interface IssuedDeviceCode {
  deviceCode: string;
  userCode: string;
  expiresIn: number;
  interval: number;
}

/** Polls after expiry still find the record this long, so they get expired_token, not invalid_grant. */
const EXPIRED_GRACE = 300;
const DEVICE_CODE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const deviceKey = (hash: string): string => `device:${hash}`;
const userKey = (code: string): string => `device-user:${hashSecret(code)}`;
const pollKey = (hash: string): string => `device-poll:${hash}`;
const slowKey = (hash: string): string => `device-slow:${hash}`;

/**
 * Device codes (256-bit, only sha256 kept) and user codes in the short-lived store. The owner's
 * decision consumes the user code atomically (one decision per code); the approved record is
 * taken atomically by the one poll that gets the tokens (R-DEV: single use, race-safe).
 */
@Injectable()
export class DeviceCodeStore {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  async create(input: { clientId: string; scope: string; resources: string[] }): Promise<IssuedDeviceCode> {
    const ttl = this.config.env.DEVICE_CODE_TTL;
    const interval = this.config.env.DEVICE_CODE_INTERVAL;
    const deviceCode = generateSecret(32);
    const hash = hashSecret(deviceCode);
    const record: DeviceAuthorization = {
      ...input,
      expiresAt: Date.now() + ttl * 1000,
      interval,
      status: 'pending',
    };
    await this.store.set(deviceKey(hash), JSON.stringify(record), ttl + EXPIRED_GRACE);
    // A collision among live user codes is retried: each code names exactly one request.
    for (;;) {
      const userCode = generateUserCode();
      if (await this.store.setIfAbsent(userKey(userCode), hash, ttl)) {
        return { deviceCode, userCode: formatUserCode(userCode), expiresIn: ttl, interval };
      }
    }
  }

  /** The pending, unexpired request a user code names; null otherwise. */
  async byUserCode(canonical: string): Promise<DeviceAuthorization | null> {
    const hash = await this.store.get(userKey(canonical));
    if (!hash) {
      return null;
    }
    const record = await this.read(hash);
    return record && record.status === 'pending' && record.expiresAt > Date.now() ? record : null;
  }

  /**
   * Records the owner's decision. The user code is taken first, so of two concurrent decisions
   * (two tabs) only one counts; false when the code was already used or has expired.
   */
  async decide(
    canonical: string,
    decision: Pick<DeviceAuthorization, 'status' | 'ownerId' | 'authTime' | 'consentGrantId'>,
  ): Promise<boolean> {
    const hash = await this.store.take(userKey(canonical));
    const record = hash ? await this.read(hash) : null;
    if (!hash || !record || record.status !== 'pending' || record.expiresAt <= Date.now()) {
      return false;
    }
    const ttl = (await this.store.ttl(deviceKey(hash))) ?? 1;
    await this.store.set(deviceKey(hash), JSON.stringify({ ...record, ...decision }), Math.max(1, ttl));
    return true;
  }

  /** The record behind a presented device code (any state), with its hash; null when unknown. */
  async find(deviceCode: string): Promise<{ hash: string; record: DeviceAuthorization } | null> {
    if (!DEVICE_CODE_SHAPE.test(deviceCode)) {
      return null;
    }
    const hash = hashSecret(deviceCode);
    const record = await this.read(hash);
    return record ? { hash, record } : null;
  }

  /**
   * RFC 8628 §3.5: a poll earlier than the current interval is slow_down, and the interval grows
   * by 5 s for every later poll (counted from this answer). Returns the new interval when too
   * early, else null. The gate is an atomic set-if-absent, so concurrent polls pass one at a time.
   */
  async tooEarly(hash: string, record: DeviceAuthorization): Promise<number | null> {
    const slowed = Number((await this.store.get(slowKey(hash))) ?? 0);
    if (await this.store.setIfAbsent(pollKey(hash), '1', record.interval + 5 * slowed)) {
      return null;
    }
    const remaining = Math.max(1, Math.ceil((record.expiresAt - Date.now()) / 1000) + EXPIRED_GRACE);
    const interval = record.interval + 5 * (await this.store.increment(slowKey(hash), remaining));
    await this.store.set(pollKey(hash), '1', interval);
    return interval;
  }

  /** Takes the approved record: of concurrent pollers exactly one receives it. */
  async take(hash: string): Promise<DeviceAuthorization | null> {
    const raw = await this.store.take(deviceKey(hash));
    return raw ? (JSON.parse(raw) as DeviceAuthorization) : null;
  }

  private async read(hash: string): Promise<DeviceAuthorization | null> {
    const raw = await this.store.get(deviceKey(hash));
    return raw ? (JSON.parse(raw) as DeviceAuthorization) : null;
  }
}
