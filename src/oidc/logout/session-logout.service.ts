import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OwnerSessionService, type OwnerSession } from '../../sessions/owner-session.service.js';
import { SessionParticipants } from './session-participants.js';

/** Told about every ended owner session (back-channel logout subscribes). */
export interface SessionEndedListener {
  sessionEnded(ended: { sid: string; ownerId: string; clientIds: string[] }): Promise<void>;
}

/**
 * Ends an owner session: the cookie and stored session go first (the owner is signed out
 * whatever happens next), then listeners (back-channel logout) are told, never blocking or
 * failing the sign-out. The one place sign-out paths (RP-initiated logout, /account sign-out)
 * call.
 */
@Injectable()
export class SessionLogout {
  private readonly logger = new Logger(SessionLogout.name);
  private readonly listeners: SessionEndedListener[] = [];

  constructor(
    private readonly sessions: OwnerSessionService,
    private readonly participants: SessionParticipants,
  ) {}

  register(listener: SessionEndedListener): void {
    this.listeners.push(listener);
  }

  async end(session: OwnerSession, reply: FastifyReply): Promise<void> {
    await this.sessions.destroy(session, reply);
    await this.sessionDestroyed(session);
  }

  /**
   * For a sign-out path that destroyed the session itself:
   * back-channel logout for the clients that took part in it.
   */
  async sessionDestroyed(session: OwnerSession): Promise<void> {
    const clientIds = await this.participants.take(session.sid).catch(() => []);
    await this.notify({ sid: session.sid, ownerId: session.ownerId, clientIds });
  }

  /**
   * Owner-wide logout (admin "log out everywhere", owner disabled): every session of the owner
   * that clients took part in is reported ended. The sessions themselves stop working through
   * the owner check at /authorize (disabled) or stay as browser sessions (grants revoked).
   */
  async endOwner(ownerId: string): Promise<void> {
    for (const ended of await this.participants.takeOwner(ownerId)) {
      await this.notify({ ...ended, ownerId });
    }
  }

  private async notify(ended: { sid: string; ownerId: string; clientIds: string[] }): Promise<void> {
    for (const listener of this.listeners) {
      await listener
        .sessionEnded(ended)
        .catch((err: unknown) => this.logger.warn(`session-ended listener failed: ${String(err)}`));
    }
  }
}
