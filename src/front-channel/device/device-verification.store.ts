import { Inject, Injectable } from '@nestjs/common';
import { generateSecret } from '../../common/crypto/secret-hash.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

/** A user code the owner entered correctly, tied to the browser that entered it. */
export interface DeviceVerification {
  userCode: string;
  browserId: string;
  /** Shown on the sign-in page. */
  clientName: string;
}

const key = (id: string): string => `device-verify:${id}`;
const ID_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Between entering the code and deciding (sign-in in between), the page refers to the entered
 * code by a random id, never by the code itself, so the code does not travel in URLs.
 */
@Injectable()
export class DeviceVerificationStore {
  constructor(@Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore) {}

  async save(verification: DeviceVerification, ttlSeconds: number): Promise<string> {
    const id = generateSecret(16);
    await this.store.set(key(id), JSON.stringify(verification), Math.max(1, ttlSeconds));
    return id;
  }

  /** The verification when `id` is well-formed, live and was started in this browser. */
  async load(id: unknown, browserId: string | null): Promise<DeviceVerification | null> {
    if (typeof id !== 'string' || !ID_SHAPE.test(id) || browserId === null) {
      return null;
    }
    const raw = await this.store.get(key(id));
    const verification = raw ? (JSON.parse(raw) as DeviceVerification) : null;
    return verification?.browserId === browserId ? verification : null;
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(key(id));
  }
}
