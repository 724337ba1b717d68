import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../clients/client.entity.js';
import { AppConfig } from '../config/app-config.js';
import { KeysService } from '../keys/keys.service.js';
import { idTokenAlgs } from './id-token-algs.js';
import { idTokenAlgOf } from './oidc-client-metadata.js';

/** What an ID token states about one authentication (OIDC Core §2). */
export interface IdTokenInput {
  client: ClientEntity;
  sub: string;
  /** Epoch seconds of the owner's authentication. */
  authTime: number;
  /** Exactly as sent in the authorization request; never on refresh (R-OIDC-4). */
  nonce?: string;
  /** The OP session id (Back-Channel Logout §2.1). */
  sid?: string;
  /** The access token issued alongside, for at_hash. */
  accessToken?: string;
}

/** Methods used for the authentication: password sign-in is the only one (RFC 8176 `pwd`). */
const AMR = ['pwd'];

/** OIDC Core §3.1.3.6 at_hash: left half of the SHA-256 of the access token (ES256, RS256). */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/**
 * Builds and signs ID tokens (R-OIDC-1..4) with the client's id_token_signed_response_alg
 * (ES256 by default, RS256 from the companion key) through the key rotation of src/keys.
 * Decision: auth_time, azp, amr and sid are always present (all allowed by the spec); standard
 * claims are not copied in, since an access token for UserInfo is always issued alongside.
 */
@Injectable()
export class IdTokenService {
  private readonly algs;

  constructor(
    private readonly keys: KeysService,
    private readonly config: AppConfig,
  ) {
    this.algs = idTokenAlgs(config);
  }

  issue(input: IdTokenInput): string {
    const iat = Math.floor(Date.now() / 1000);
    const signer = this.keys.signerFor(idTokenAlgOf(input.client, this.algs)).withType('JWT');
    return signer.sign({
      iss: this.config.issuer,
      sub: input.sub,
      aud: input.client.clientId,
      exp: iat + this.config.env.ID_TOKEN_TTL,
      iat,
      auth_time: input.authTime,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
      azp: input.client.clientId,
      amr: AMR,
      ...(input.sid === undefined ? {} : { sid: input.sid }),
      ...(input.accessToken === undefined ? {} : { at_hash: atHash(input.accessToken) }),
    });
  }
}
