import { Injectable } from '@nestjs/common';
import { jwtVerify, type JWTHeaderParameters } from 'jose';
import { AppConfig } from '../config/app-config.js';
import { KeysService } from '../keys/keys.service.js';
import { idTokenAlgs } from './id-token-algs.js';

/** What an id_token_hint tells about the RP's view of the session. */
export interface IdTokenHint {
  sub: string;
  /** Audiences (client ids) of the hint. */
  aud: string[];
  sid?: string;
}

/** The longest an ID token can be expired and still name a session for logout (RP-Initiated §2). */
const EXPIRED_HINT_TOLERANCE = 30 * 86400;

/**
 * Verifies an ID token we issued when an RP sends it back as id_token_hint (OIDC Core
 * §3.1.2.1, RP-Initiated Logout §2): our published keys only, our issuer, typ JWT. Expired
 * hints are refused at /authorize but accepted for logout (the spec asks OPs to).
 */
@Injectable()
export class IdTokenHintVerifier {
  constructor(
    private readonly keys: KeysService,
    private readonly config: AppConfig,
  ) {}

  private readonly getKey = (header: JWTHeaderParameters) => {
    const key = header.kid === undefined ? null : this.keys.publicKey(header.kid);
    if (!key || key.alg !== header.alg) {
      throw new Error('unknown key');
    }
    return key.publicKey;
  };

  /** The hint's subject and audiences, or null when it is not a valid ID token of ours. */
  async verify(token: string, options: { allowExpired?: boolean } = {}): Promise<IdTokenHint | null> {
    if (token.length > 8192) {
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.getKey, {
        algorithms: idTokenAlgs(this.config),
        issuer: this.config.issuer,
        requiredClaims: ['sub', 'aud', 'exp', 'iat'],
        clockTolerance: options.allowExpired ? EXPIRED_HINT_TOLERANCE : 0,
      });
      const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
      return {
        sub: payload.sub as string,
        aud,
        ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
      };
    } catch {
      return null;
    }
  }
}
