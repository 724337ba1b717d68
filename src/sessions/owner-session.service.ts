import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { generateSecret, hashSecret } from '../common/crypto/secret-hash.js';
import { AppConfig } from '../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';

export const SESSION_COOKIE = 'tessera_session';
export const BROWSER_COOKIE = 'tessera_browser';

export interface OwnerSession {
  /** The opaque id from the cookie (never stored: the store key is its hash). */
  id: string;
  ownerId: string;
  /** Epoch seconds of the last password check (max_age, auth_time). */
  authTime: number;
  /** OpenID Connect session id (`sid` of ID and logout tokens): public, unlike `id`. */
  sid: string;
}

interface StoredSession {
  ownerId: string;
  authTime: number;
  sid?: string;
}

const key = (id: string): string => `session:${hashSecret(id)}`;

/**
 * Owner sessions: a 256-bit opaque id in a signed, HttpOnly, SameSite=Lax cookie (Secure when
 * the issuer is https), backed by the short-lived store for SESSION_TTL seconds. A separate
 * browser-binding cookie ties pending authorization requests and CSRF tokens to one browser.
 */
@Injectable()
export class OwnerSessionService {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  private get secure(): boolean {
    return this.config.issuer.startsWith('https://');
  }

  private readCookie(request: FastifyRequest, name: string): string | null {
    const raw = request.cookies[name];
    if (!raw || raw.length > 200) {
      return null;
    }
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : null;
  }

  private writeCookie(reply: FastifyReply, name: string, value: string, maxAge?: number): void {
    void reply.setCookie(name, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      signed: true,
      ...(maxAge === undefined ? {} : { maxAge }),
    });
  }

  async current(request: FastifyRequest): Promise<OwnerSession | null> {
    const id = this.readCookie(request, SESSION_COOKIE);
    if (!id) {
      return null;
    }
    const raw = await this.store.get(key(id));
    if (!raw) {
      return null;
    }
    const stored = JSON.parse(raw) as StoredSession;
    // Sessions created before sid existed get a stable one derived from the (secret) id.
    const sid = stored.sid ?? hashSecret(`sid:${id}`).slice(0, 43);
    return { id, ownerId: stored.ownerId, authTime: stored.authTime, sid };
  }

  /** A fresh session after a password check; any previous one is dropped (no fixation). */
  async create(request: FastifyRequest, reply: FastifyReply, ownerId: string): Promise<OwnerSession> {
    const previous = this.readCookie(request, SESSION_COOKIE);
    if (previous) {
      await this.store.delete(key(previous));
    }
    const id = generateSecret(32);
    const authTime = Math.floor(Date.now() / 1000);
    const sid = generateSecret(16);
    const ttl = this.config.env.SESSION_TTL;
    await this.store.set(key(id), JSON.stringify({ ownerId, authTime, sid } satisfies StoredSession), ttl);
    this.writeCookie(reply, SESSION_COOKIE, id, ttl);
    return { id, ownerId, authTime, sid };
  }

  async destroy(session: OwnerSession, reply: FastifyReply): Promise<void> {
    await this.store.delete(key(session.id));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** This browser's binding id (created on first use; lives as long as the browser session). */
  browserId(request: FastifyRequest, reply: FastifyReply): string {
    const existing = this.readCookie(request, BROWSER_COOKIE);
    if (existing) {
      return existing;
    }
    const id = generateSecret(16);
    this.writeCookie(reply, BROWSER_COOKIE, id);
    return id;
  }

  /** The binding id sent with this request, without creating one. */
  presentedBrowserId(request: FastifyRequest): string | null {
    return this.readCookie(request, BROWSER_COOKIE);
  }
}
