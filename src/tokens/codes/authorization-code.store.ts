import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';

/** What a code is bound to (R-CODE-2, R-PKCE-6). */
export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
  scope: string;
  resources: string[];
  ownerId: string;
  /** Epoch seconds of the owner's authentication. */
  authTime: number;
  consentGrantId: string | null;
  /** Step-up (R-MCP-16): exchanging this code revokes the consent grant's older families. */
  replacesFamilies?: boolean;
  /** Identifies everything issued from this code (access-token grant id when no refresh token). */
  codeId: string;
  /** RFC 9449 §10: the exchange must prove this DPoP key (R-DPOP-10). */
  dpopJkt?: string;
  /** OpenID Connect: the request's nonce (echoed in the ID token) and the session id. */
  nonce?: string;
  sid?: string;
}

/** What the first redemption issued, so a replay can revoke it (R-CODE-5). */
export interface IssuedFromCode {
  familyId?: string;
  accessGrantId: string;
}

export interface ConsumedCode {
  record: AuthorizationCodeRecord;
  issued: IssuedFromCode | null;
}

/** How long a redeemed code is remembered to detect replays. */
const CONSUMED_MARKER_MIN_TTL = 3600;
const codeKey = (hash: string): string => `code:${hash}`;
const consumedKey = (hash: string): string => `code-consumed:${hash}`;
const replayedKey = (hash: string): string => `code-replayed:${hash}`;
const CODE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Authorization codes in the short-lived store (node-oidc-provider consumable codes, hydra
 * InvalidateAuthorizeCodeSession): 256-bit codes kept only as sha256(code) with a TTL of
 * AUTHORIZATION_CODE_TTL. Redemption is an atomic take(), so one code works once even under
 * concurrent redemption (R-CODE-4). The taker leaves a "consumed" marker recording what it
 * issued; a later presenter flags the replay and revokes that (R-CODE-5). Whichever of the two
 * finishes last does the revoking, so a replay racing the first redemption is still caught.
 */
@Injectable()
export class AuthorizationCodeStore {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  private get markerTtl(): number {
    return Math.max(CONSUMED_MARKER_MIN_TTL, this.config.env.ACCESS_TOKEN_TTL);
  }

  async issue(record: AuthorizationCodeRecord): Promise<string> {
    const code = generateSecret(32);
    await this.store.set(
      codeKey(hashSecret(code)),
      JSON.stringify(record),
      this.config.env.AUTHORIZATION_CODE_TTL,
    );
    return code;
  }

  /** The code's record if this caller is the one that redeems it; null otherwise. */
  async take(code: string): Promise<AuthorizationCodeRecord | null> {
    if (!CODE_SHAPE.test(code)) {
      return null;
    }
    const hash = hashSecret(code);
    const raw = await this.store.take(codeKey(hash));
    if (!raw) {
      return null;
    }
    const record = JSON.parse(raw) as AuthorizationCodeRecord;
    await this.store.set(
      consumedKey(hash),
      JSON.stringify({ record, issued: null } satisfies ConsumedCode),
      this.markerTtl,
    );
    return record;
  }

  /** The marker of an already redeemed code, or null (unknown, malformed or long expired). */
  async consumed(code: string): Promise<ConsumedCode | null> {
    if (!CODE_SHAPE.test(code)) {
      return null;
    }
    const raw = await this.store.get(consumedKey(hashSecret(code)));
    return raw ? (JSON.parse(raw) as ConsumedCode) : null;
  }

  /**
   * Records what the redemption issued. Returns true when a replay was flagged meanwhile, in
   * which case the caller must revoke what it just issued.
   */
  async recordIssued(
    code: string,
    record: AuthorizationCodeRecord,
    issued: IssuedFromCode,
  ): Promise<boolean> {
    const hash = hashSecret(code);
    await this.store.set(
      consumedKey(hash),
      JSON.stringify({ record, issued } satisfies ConsumedCode),
      this.markerTtl,
    );
    return (await this.store.get(replayedKey(hash))) !== null;
  }

  /** Flags a replay, then returns what was issued so far (null if the first redemption is still running). */
  async flagReplay(code: string): Promise<ConsumedCode | null> {
    const hash = hashSecret(code);
    await this.store.set(replayedKey(hash), '1', this.markerTtl);
    return this.consumed(code);
  }
}
