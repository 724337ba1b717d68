import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

const key = (sid: string): string => `session-rps:${sid}`;
const ownerKey = (ownerId: string): string => `owner-sids:${ownerId}`;
const MAX_PARTICIPANTS = 100;

/**
 * The clients that received a code in an owner session (by sid), for back-channel logout
 * (Back-Channel Logout §2.7). Kept as long as a session lives.
 */
@Injectable()
export class SessionParticipants {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  async add(sid: string, clientId: string, ownerId: string): Promise<void> {
    const current = await this.list(sid);
    if (current.includes(clientId) || current.length >= MAX_PARTICIPANTS) {
      return;
    }
    const ttl = this.config.env.SESSION_TTL;
    await this.store.set(key(sid), JSON.stringify([...current, clientId]), ttl);
    // The owner's sessions with participants, for owner-wide logout (admin, owner disabled).
    const raw = await this.store.get(ownerKey(ownerId));
    const sids = raw ? (JSON.parse(raw) as string[]) : [];
    if (!sids.includes(sid)) {
      await this.store.set(ownerKey(ownerId), JSON.stringify([...sids, sid].slice(-MAX_PARTICIPANTS)), ttl);
    }
  }

  /** Every session of the owner that had participants, with them; all forgotten at once. */
  async takeOwner(ownerId: string): Promise<{ sid: string; clientIds: string[] }[]> {
    const raw = await this.store.take(ownerKey(ownerId));
    const sids = raw ? (JSON.parse(raw) as string[]) : [];
    const sessions = [];
    for (const sid of sids) {
      sessions.push({ sid, clientIds: await this.take(sid) });
    }
    return sessions.filter((s) => s.clientIds.length > 0);
  }

  async list(sid: string): Promise<string[]> {
    const raw = await this.store.get(key(sid));
    return raw ? (JSON.parse(raw) as string[]) : [];
  }

  /** The participants, forgotten at once (the session ended). */
  async take(sid: string): Promise<string[]> {
    const raw = await this.store.take(key(sid));
    return raw ? (JSON.parse(raw) as string[]) : [];
  }
}
