import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OwnerSessionService, type OwnerSession } from '../../sessions/owner-session.service.js';

/** Called after an owner's session ended (e.g. OIDC back-channel logout notifications). */
export type SignOutListener = (session: OwnerSession) => Promise<void> | void;

/**
 * Owner sign-out (issue 16 L13): ends the session (store entry and cookie), then tells the
 * listeners. RP-initiated and back-channel logout hook in here (`onSignOut`) rather than
 * ending sessions themselves; a failing listener is logged and never keeps the session alive.
 */
@Injectable()
export class SignOutService {
  private readonly logger = new Logger('SignOut');
  private readonly listeners: SignOutListener[] = [];

  constructor(private readonly sessions: OwnerSessionService) {}

  onSignOut(listener: SignOutListener): void {
    this.listeners.push(listener);
  }

  async signOut(session: OwnerSession, reply: FastifyReply): Promise<void> {
    await this.sessions.destroy(session, reply);
    for (const listener of this.listeners) {
      try {
        await listener(session);
      } catch (err) {
        this.logger.warn(`sign-out listener failed: ${(err as Error).message}`);
      }
    }
  }
}
