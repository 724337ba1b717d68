import { Injectable } from '@nestjs/common';
import { InvalidGrant, InvalidRequest } from '../../common/errors/oauth-error.js';
import { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';
import { currentClientScope } from './current-client-grant.js';
import { audienceClaims } from './default-audience.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';
import { narrowScope } from './scope.js';
import { IdTokenService } from '../../oidc/id-token.service.js';
import { hasOpenIdScope } from '../../oidc/scopes.js';

const INVALID = 'refresh token is invalid, expired or revoked';

/**
 * RFC 6749 §6 / OAuth 2.1 §4.3 (R-RT-3..11): the token must be this client's and active;
 * `scope` may narrow the new access token but never widen (invalid_scope), while the rotated
 * refresh token keeps the grant's full scope; `resource` may pick one of the grant's resources.
 * Scope and resources are first intersected with the client's current registration (issue 16
 * L7). Rotation and reuse detection live in RefreshTokenService.use().
 */
@Injectable()
@GrantHandlerProvider()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = 'refresh_token';
  readonly parameters = ['refresh_token', 'scope', 'resource'] as const;

  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly accessTokens: AccessTokenService,
    private readonly audiences: AudiencePolicy,
    private readonly idTokens: IdTokenService,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    const presented = params.refresh_token;
    if (presented === undefined) {
      throw new InvalidRequest("missing required parameter 'refresh_token'");
    }
    const now = new Date();
    const record = await this.refreshTokens.find(presented);
    if (!record || record.clientId !== client.clientId) {
      throw new InvalidGrant(INVALID, record ? 'refresh token of another client' : 'unknown refresh token');
    }
    if (record.usedAt !== null && record.family.revokedAt === null) {
      await this.refreshTokens.reuseDetected(record, now);
      throw new InvalidGrant(INVALID, 'rotated-out refresh token reused: grant revoked');
    }
    if (!this.refreshTokens.isActive(record, now)) {
      throw new InvalidGrant(INVALID, 'refresh token expired or revoked');
    }
    // Issue 16 L7: within what the client may still reach today (its current scope here; its
    // resources through the registry's client policy). The grant is blamed for a resource it lacks.
    const narrowed = narrowScope(params.scope, currentClientScope(client, record.scope));
    const decided = await this.audiences.forGrant(client, resources, record.family.resources, narrowed);
    const { scope } = decided;
    const refreshToken = await this.refreshTokens.use(record, client, dpop, now);
    const issued = await this.accessTokens.issue(client, {
      sub: record.family.ownerId ?? client.clientId,
      ...audienceClaims(decided),
      grantId: record.familyId,
      // RFC 8693: a grant started by token exchange keeps its actor in every access token.
      ...(record.family.act ? { act: record.family.act } : {}),
      ...(record.family.authTime ? { authTime: Math.floor(record.family.authTime.getTime() / 1000) } : {}),
      dpop,
    });
    return {
      access_token: issued.token,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
      scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      // OIDC Core §12.2: a new ID token when the grant had openid; same sub, auth_time and sid, no nonce.
      ...(hasOpenIdScope(record.family.scope) && record.family.ownerId
        ? {
            id_token: this.idTokens.issue({
              client,
              sub: record.family.ownerId,
              authTime: Math.floor((record.family.authTime ?? record.family.createdAt).getTime() / 1000),
              ...(record.family.sid ? { sid: record.family.sid } : {}),
              accessToken: issued.token,
            }),
          }
        : {}),
    };
  }
}
