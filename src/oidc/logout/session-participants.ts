import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

const key = (sid: string): string => `session-rps:${sid}`;
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

  async add(sid: string, clientId: string): Promise<void> {
    const current = await this.list(sid);
    if (current.includes(clientId) || current.length >= MAX_PARTICIPANTS) {
      return;
    }
    await this.store.set(key(sid), JSON.stringify([...current, clientId]), this.config.env.SESSION_TTL);
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
