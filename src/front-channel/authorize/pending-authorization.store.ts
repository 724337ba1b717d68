import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import type { Prompt } from './authorize-context.js';

/**
 * A validated authorization request waiting for login and consent. Kept server-side: the
 * login and consent forms carry only its opaque id, so nothing security-relevant is taken
 * from them.
 */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  scopes: string[];
  resources: string[];
  prompt: Prompt[];
  maxAge?: number;
  /** RFC 9449 §10: the DPoP key thumbprint the code will be bound to. */
  dpopJkt?: string;
  /** RFC 9126: the pushed request this came from; consumed when the code is issued (R-PAR-8). */
  pushedHandle?: string;
  /** OpenID Connect: nonce for the ID token, id_token_hint subject, login_hint. */
  nonce?: string;
  hintSubject?: string;
  loginHint?: string;
  /** The browser-binding cookie of the browser that started the request. */
  browserId: string;
  /** Set after the owner signed in during this request (satisfies prompt=login). */
  loginDone?: boolean;
  /** Set after the owner approved during this request (satisfies prompt=consent). */
  consentDone?: boolean;
  /**
   * Set by the consent page when the owner widened an existing grant (step-up, R-MCP-16): the
   * code then carries the whole grant, and its exchange replaces the grant's older families.
   */
  stepUp?: boolean;
}

const ID = /^[A-Za-z0-9_-]{43}$/;
const key = (id: string): string => `authz-request:${hashSecret(id)}`;

/** Pending requests under a 256-bit opaque id, for AUTHORIZATION_REQUEST_TTL seconds. */
@Injectable()
export class PendingAuthorizationStore {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  async save(pending: PendingAuthorization, id = generateSecret(32)): Promise<string> {
    await this.store.set(key(id), JSON.stringify(pending), this.config.env.AUTHORIZATION_REQUEST_TTL);
    return id;
  }

  /** The pending request, or null for a malformed, unknown or expired id. */
  async load(id: unknown): Promise<PendingAuthorization | null> {
    if (typeof id !== 'string' || !ID.test(id)) {
      return null;
    }
    const raw = await this.store.get(key(id));
    return raw ? (JSON.parse(raw) as PendingAuthorization) : null;
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(key(id));
  }
}
