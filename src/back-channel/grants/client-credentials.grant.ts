import { Injectable } from '@nestjs/common';
import { UnauthorizedClient } from '../../common/errors/oauth-error.js';
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

/**
 * RFC 6749 §4.4 / OAuth 2.1 §4.2 (R-TOK-12): confidential clients only; `scope` ⊆ the client's
 * registered scope, and when omitted the client's whole registered scope (R-AUTHZ-12 default);
 * `aud` and the final scope per AudiencePolicy (one resource, its policy, its scopes); `sub` is
 * the client id (RFC 9068 §2.2); never a refresh token (R-RT-1).
 */
@Injectable()
@GrantHandlerProvider()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';
  readonly parameters = ['scope', 'resource'] as const;

  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly audiences: AudiencePolicy,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    if (client.isPublic) {
      throw new UnauthorizedClient('client_credentials requires a confidential client');
    }
    const narrowed = narrowScope(params.scope, client.scope);
    const decided = await this.audiences.forClient(client, resources, narrowed, params.scope !== undefined);
    const { scope } = decided;
    const issued = await this.accessTokens.issue(client, {
      sub: client.clientId,
      ...audienceClaims(decided),
      dpop,
    });
    return {
      access_token: issued.token,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
      scope,
    };
  }
}
