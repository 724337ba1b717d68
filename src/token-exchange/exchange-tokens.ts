import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../clients/client.entity.js';
import { InvalidRequest, UnauthorizedClient } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { IdTokenHintVerifier } from '../oidc/id-token-hint.js';
import { OwnersService } from '../owners/owners.service.js';
import { AccessTokenService, type ActClaim } from '../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';
import type { SubjectTokenType, TokenExchangePolicyEntity } from './token-exchange-policy.entity.js';
import { TrustedJwtVerifier } from './trusted-jwt.verifier.js';

/** RFC 8693 §3 token type identifiers. */
export const TOKEN_TYPE_URI: Record<SubjectTokenType, string> = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
};
const BY_URI = new Map(Object.entries(TOKEN_TYPE_URI).map(([k, v]) => [v, k as SubjectTokenType]));

/** Who a validated subject or actor token names, and what it carries. */
export interface TokenPrincipal {
  sub: string;
  /** Scope the token grants ('' for external JWTs without `scope`). */
  scope: string;
  iss: string;
  clientId?: string;
  /** Our grant (refresh-token family) behind the token: exchanged tokens join it. */
  grantId?: string;
  act?: ActClaim;
  /** RFC 8693 §4.4: who may act for this subject, when the token says. */
  mayAct?: { sub?: unknown };
}

/**
 * Validates token-exchange subject and actor tokens (R-TX-3): our access tokens (JWT or opaque,
 * active, unrevoked), our refresh tokens (active, the presenting client's own), JWTs from an
 * issuer the client's policy trusts, and our ID tokens (unexpired, issued to the presenting client,
 * naming an enabled owner).
 */
@Injectable()
export class ExchangeTokens {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly trustedJwts: TrustedJwtVerifier,
    private readonly config: AppConfig,
    private readonly idTokens: IdTokenHintVerifier,
    private readonly owners: OwnersService,
  ) {}

  typeOf(uri: string, role: 'subject' | 'actor'): SubjectTokenType {
    const type = BY_URI.get(uri);
    if (!type) {
      throw new InvalidRequest(`${role}_token_type is not a supported token type`);
    }
    return type;
  }

  async resolve(
    token: string,
    type: SubjectTokenType,
    role: 'subject' | 'actor',
    client: ClientEntity,
    policy: TokenExchangePolicyEntity,
  ): Promise<TokenPrincipal> {
    if (role === 'subject' && !policy.subjectTokenTypes.includes(type)) {
      throw new UnauthorizedClient(`the client may not exchange subject tokens of type ${type}`);
    }
    const invalid = (detail: string) =>
      new InvalidRequest(`${role}_token is invalid, expired or revoked`, detail);
    if (type === 'access_token') {
      const at = await this.accessTokens.inspect(token);
      if (!at) {
        throw invalid('inactive access token');
      }
      return {
        sub: at.sub,
        scope: at.scope,
        iss: at.iss,
        clientId: at.clientId,
        ...(at.grantId ? { grantId: at.grantId } : {}),
        ...(at.act ? { act: at.act } : {}),
      };
    }
    if (type === 'refresh_token') {
      const record = await this.refreshTokens.find(token);
      if (!record || record.clientId !== client.clientId || !this.refreshTokens.isActive(record)) {
        throw invalid('unknown, inactive or another client’s refresh token');
      }
      return {
        sub: record.family.ownerId ?? record.clientId,
        scope: record.family.scope,
        iss: this.config.issuer,
        clientId: record.clientId,
        grantId: record.familyId,
        // An exchanged grant's actor (RFC 8693 §4.1): a further exchange nests it.
        ...(record.family.act ? { act: record.family.act } : {}),
      };
    }
    if (type === 'id_token') {
      // An ID token authenticates the owner to the client it was issued to (OIDC Core §2): only that
      // client may present it, and it carries no scope, so the client's registered scope bounds it.
      const hint = await this.idTokens.verify(token);
      if (!hint || !hint.aud.includes(client.clientId)) {
        throw invalid('not an unexpired ID token of ours issued to this client');
      }
      const owner = await this.owners.find(hint.sub);
      if (!owner || owner.disabled) {
        throw invalid('the ID token names no enabled owner');
      }
      return { sub: owner.id, scope: client.scope, iss: this.config.issuer, clientId: client.clientId };
    }
    const { result, reason } = await this.trustedJwts.verify(token, policy.issuers);
    if (!result) {
      throw invalid(reason);
    }
    const owner = role === 'subject' ? await this.trustedJwts.owner(result) : null;
    if (role === 'subject' && !owner) {
      throw invalid('the JWT subject maps to no owner');
    }
    const scope = typeof result.payload.scope === 'string' ? result.payload.scope : '';
    return {
      sub: owner ? owner.id : (result.payload.sub as string),
      scope: owner ? scope || client.scope : scope,
      iss: result.issuer.issuer,
      ...(typeof result.payload.may_act === 'object' && result.payload.may_act !== null
        ? { mayAct: result.payload.may_act }
        : {}),
    };
  }
}
