import { Inject, Injectable } from '@nestjs/common';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { InvalidGrant, InvalidRequest, UnauthorizedClient } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import { TokenExchangePolicies } from '../../token-exchange/token-exchange-policies.service.js';
import { TrustedJwtVerifier } from '../../token-exchange/trusted-jwt.verifier.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import { audienceClaims } from './default-audience.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';
import { narrowScope } from './scope.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Longest assertion lifetime accepted (exp − now, and exp − iat when iat is present). */
export const MAX_ASSERTION_LIFETIME = 600;
const INVALID = 'the assertion is invalid, expired, replayed or names no known user';

/**
 * RFC 7523 §2.1 (R-TX-6): a client allowed by its policy (jwt_bearer) presents a JWT from one of
 * its policy's trusted issuers: signature by the issuer's keys, `aud` this issuer or its token
 * endpoint, `exp` present and at most MAX_ASSERTION_LIFETIME ahead, `jti` single use (kept in the
 * short-lived store until `exp`), `sub` — or the issuer's configured claim — naming an owner, and
 * a `client_id` claim (identity assertion grants) equal to the client when present. Everything
 * else is invalid_grant. The access token is the owner's, scope within the client's, no refresh token.
 */
@Injectable()
@GrantHandlerProvider()
export class JwtBearerGrant implements GrantHandler {
  readonly grantType = JWT_BEARER_GRANT;
  readonly parameters = ['assertion', 'scope', 'resource'] as const;

  constructor(
    private readonly policies: TokenExchangePolicies,
    private readonly verifier: TrustedJwtVerifier,
    private readonly accessTokens: AccessTokenService,
    private readonly config: AppConfig,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly audiences: AudiencePolicy,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    const assertion = params.assertion;
    if (assertion === undefined) {
      throw new InvalidRequest("missing required parameter 'assertion'");
    }
    const policy = await this.policies.policyOf(client.clientId);
    if (!policy?.jwtBearer) {
      throw new UnauthorizedClient('the client may not use the JWT bearer grant');
    }
    const issuer = this.config.issuer;
    const { result, reason } = await this.verifier.verify(assertion, policy.issuers, {
      audience: [issuer, `${issuer}/token`],
    });
    if (!result) {
      throw new InvalidGrant(INVALID, reason);
    }
    const { payload } = result;
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp as number;
    if (
      exp - now > MAX_ASSERTION_LIFETIME ||
      (payload.iat !== undefined && exp - payload.iat > MAX_ASSERTION_LIFETIME)
    ) {
      throw new InvalidGrant(INVALID, 'assertion lifetime too long');
    }
    if (payload.client_id !== undefined && payload.client_id !== client.clientId) {
      throw new InvalidGrant(INVALID, 'assertion issued for another client');
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
      throw new InvalidGrant(INVALID, 'jti missing');
    }
    const owner = await this.verifier.owner(result);
    if (!owner) {
      throw new InvalidGrant(INVALID, 'subject maps to no owner');
    }
    const jtiKey = `jwt-bearer-jti:${hashSecret(`${result.issuer.issuer}\n${payload.jti}`)}`;
    if (!(await this.store.setIfAbsent(jtiKey, '1', Math.max(1, exp - now + 60)))) {
      throw new InvalidGrant(INVALID, 'jti replayed');
    }
    const narrowed = narrowScope(params.scope, client.scope);
    const decided = await this.audiences.forClient(client, resources, narrowed, params.scope !== undefined);
    const { scope } = decided;
    const issued = await this.accessTokens.issue(client, { sub: owner.id, ...audienceClaims(decided), dpop });
    return { access_token: issued.token, token_type: issued.tokenType, expires_in: issued.expiresIn, scope };
  }
}
