import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientEntity } from '../../clients/client.entity.js';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { CLIENT_AUTH_PARAMETERS } from '../client-auth/client-auth-method.js';
import { readOAuthForm } from '../http/oauth-form.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';

const OTHER_CLIENT = 'token was issued to another client';

/**
 * RFC 7009 revocation (R-REV). Any authenticated client, public ones by client_id (R-REV-3).
 * A refresh token revokes its whole family and the family's access tokens (R-REV-7); an access
 * token only itself (R-REV-8). Unknown, expired or already revoked tokens are a silent success
 * (R-REV-6); another client's token revokes nothing and is invalid_request (R-REV-4).
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async revoke(request: FastifyRequest): Promise<void> {
    const form = readOAuthForm(request, ['token', 'token_type_hint', ...CLIENT_AUTH_PARAMETERS]);
    const { client } = await this.authenticator.authenticate(request, form);
    const token = form.get('token');
    if (token === undefined) {
      throw new InvalidRequest("missing required parameter 'token'");
    }
    // R-REV-5: the hint orders the lookups; the other type is always tried too.
    const attempts =
      form.get('token_type_hint') === 'refresh_token'
        ? [() => this.refresh(token, client), () => this.access(token, client)]
        : [() => this.access(token, client), () => this.refresh(token, client)];
    for (const attempt of attempts) {
      if (await attempt()) {
        return;
      }
    }
  }

  private async access(token: string, client: ClientEntity): Promise<boolean> {
    const at = await this.accessTokens.inspect(token);
    if (!at) {
      return false;
    }
    if (at.clientId !== client.clientId) {
      throw new InvalidRequest(OTHER_CLIENT);
    }
    await this.accessTokens.revoke(at);
    return true;
  }

  private async refresh(token: string, client: ClientEntity): Promise<boolean> {
    const record = await this.refreshTokens.find(token);
    if (!record) {
      return false;
    }
    if (record.clientId !== client.clientId) {
      throw new InvalidRequest(OTHER_CLIENT);
    }
    if (record.family.revokedAt === null) {
      await this.refreshTokens.revokeFamily(record.familyId, new Date(), {
        reason: 'revocation_endpoint',
        actor: { type: 'client', id: client.clientId },
      });
    }
    return true;
  }
}
