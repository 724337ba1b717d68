import { Injectable } from '@nestjs/common';
import { UnauthorizedClient } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { defaultAudience } from './default-audience.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';
import { selectResource } from './resource.js';
import { narrowScope } from './scope.js';

/**
 * RFC 6749 §4.4 / OAuth 2.1 §4.2 (R-TOK-12): confidential clients only; `scope` ⊆ the client's
 * registered scope, and when omitted the client's whole registered scope (R-AUTHZ-12 default);
 * one `resource` from client.allowedResources becomes `aud`, else DEFAULT_AUDIENCE; `sub` is
 * the client id (RFC 9068 §2.2); never a refresh token (R-RT-1).
 */
@Injectable()
@GrantHandlerProvider()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';
  readonly parameters = ['scope', 'resource'] as const;

  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly config: AppConfig,
  ) {}

  async handle({ client, params, resources }: TokenRequest): Promise<TokenResponse> {
    if (client.isPublic) {
      throw new UnauthorizedClient('client_credentials requires a confidential client');
    }
    const scope = narrowScope(params.scope, client.scope);
    const audience = selectResource(resources, client.allowedResources) ?? defaultAudience(this.config);
    const issued = await this.accessTokens.issue(client, { sub: client.clientId, scope, audience });
    return {
      access_token: issued.token,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
      scope,
    };
  }
}
