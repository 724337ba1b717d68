import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientEntity } from '../../clients/client.entity.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { InvalidClient, InvalidRequest } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { CLIENT_AUTH_PARAMETERS } from '../client-auth/client-auth-method.js';
import { normalizeResource } from '../grants/resource.js';
import { readOAuthForm } from '../http/oauth-form.js';
import type { ActClaim } from '../../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';

/** RFC 7662 §2.2 response; inactive is exactly `{active: false}` (R-INT-7). */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      token_type: 'Bearer' | 'DPoP' | 'refresh_token';
      scope: string;
      client_id: string;
      sub: string;
      aud?: string;
      iss: string;
      exp: number;
      iat: number;
      jti?: string;
      /** RFC 9449 §6.2: the key a DPoP-bound token is bound to (R-DPOP-6). */
      cnf?: { jkt: string };
      /** RFC 8693 §4.1: the actor of an exchanged token. */
      act?: ActClaim;
    };

const INACTIVE = { active: false } as const;

/**
 * RFC 7662 introspection (R-INT). Callers are authenticated confidential clients (R-INT-2);
 * public clients get 401 invalid_client. Any confidential client may introspect the tokens
 * issued to itself (access and refresh). A client with `canIntrospect` (a resource server) may
 * also introspect access tokens whose `aud` names it — its client_id or one of its
 * allowedResources (R-INT-9). Every other token answers `{"active": false}`.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly clients: ClientRegistry,
    private readonly config: AppConfig,
  ) {}

  async introspect(request: FastifyRequest): Promise<IntrospectionResponse> {
    const form = readOAuthForm(request, ['token', 'token_type_hint', ...CLIENT_AUTH_PARAMETERS]);
    const { client } = await this.authenticator.authenticate(request, form);
    if (client.isPublic) {
      throw new InvalidClient('public clients cannot introspect tokens', undefined, 'none');
    }
    const token = form.get('token');
    if (token === undefined) {
      throw new InvalidRequest("missing required parameter 'token'");
    }
    // R-INT-4: the hint only orders the lookups.
    const lookups =
      form.get('token_type_hint') === 'refresh_token'
        ? [() => this.refresh(token, client), () => this.access(token, client)]
        : [() => this.access(token, client), () => this.refresh(token, client)];
    for (const lookup of lookups) {
      const result = await lookup();
      if (result) {
        return result;
      }
    }
    return INACTIVE;
  }

  private async access(token: string, caller: ClientEntity): Promise<IntrospectionResponse | null> {
    const at = await this.accessTokens.inspect(token);
    if (!at || !(await this.clientActive(at.clientId))) {
      return null;
    }
    const aud = normalizeResource(at.aud) ?? at.aud;
    const own = at.clientId === caller.clientId;
    const audienceOk =
      caller.canIntrospect &&
      (at.aud === caller.clientId ||
        caller.allowedResources.some((r) => (normalizeResource(r) ?? r) === aud));
    if (!own && !audienceOk) {
      return null;
    }
    return {
      active: true,
      token_type: at.cnf ? 'DPoP' : 'Bearer',
      scope: at.scope,
      client_id: at.clientId,
      sub: at.sub,
      aud: at.aud,
      iss: at.iss,
      exp: at.exp,
      iat: at.iat,
      jti: at.jti,
      ...(at.cnf ? { cnf: at.cnf } : {}),
      ...(at.act ? { act: at.act } : {}),
    };
  }

  private async refresh(token: string, caller: ClientEntity): Promise<IntrospectionResponse | null> {
    const record = await this.refreshTokens.find(token);
    if (!record || record.clientId !== caller.clientId || !this.refreshTokens.isActive(record)) {
      return null;
    }
    const exp = Math.min(record.idleExpiresAt.getTime(), record.family.absoluteExpiresAt.getTime());
    return {
      active: true,
      token_type: 'refresh_token',
      scope: record.scope,
      client_id: record.clientId,
      sub: record.family.ownerId ?? record.clientId,
      iss: this.config.issuer,
      exp: Math.floor(exp / 1000),
      iat: Math.floor(record.issuedAt.getTime() / 1000),
      ...(record.family.act ? { act: record.family.act } : {}),
    };
  }

  /** R-INT-8: the token's client must still exist and be enabled. */
  private async clientActive(clientId: string): Promise<boolean> {
    const client = await this.clients.find(clientId);
    return client !== null && !client.disabled;
  }
}
