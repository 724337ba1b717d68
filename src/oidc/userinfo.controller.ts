import { Controller, Get, Header, HttpCode, Options, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../clients/client-registry.js';
import { InvalidRequest, InvalidToken, OAuthError } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { KeysService } from '../keys/keys.service.js';
import { OwnersService } from '../owners/owners.service.js';
import { AccessTokenService } from '../tokens/access-tokens/access-token.service.js';
import { oidcMetadataOf } from './oidc-client-metadata.js';
import { hasOpenIdScope } from './scopes.js';
import { claimsFor } from './standard-claims.js';
import { userinfoAcceptsAudience } from './userinfo-audience.js';

const REALM = 'tessera';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** RFC 6750 §3.1 challenge without an error code: no credentials were sent. */
class NoToken extends OAuthError {
  constructor() {
    super(401, 'invalid_token', 'a Bearer access token is required');
    this.withHeader('WWW-Authenticate', `Bearer realm="${REALM}"`);
  }
}

class InsufficientScope extends OAuthError {
  constructor() {
    super(403, 'insufficient_scope', 'the access token was not granted the openid scope');
    this.withHeader(
      'WWW-Authenticate',
      `Bearer realm="${REALM}", error="insufficient_scope", scope="openid"`,
    );
  }
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Expose-Headers': 'WWW-Authenticate',
  'Access-Control-Max-Age': '86400',
};

/**
 * OIDC Core §5.3 UserInfo (R-OIDC-7/8): GET or POST with a Bearer token in the Authorization
 * header or (POST, form) the access_token body parameter (RFC 6750 §2.2); `sub` plus the claims
 * the granted scopes map to; a signed JWT when the client registered userinfo_signed_response_alg.
 * CORS is open: the token, never a cookie, is the credential.
 */
@Controller('userinfo')
export class UserinfoController {
  constructor(
    private readonly config: AppConfig,
    private readonly accessTokens: AccessTokenService,
    private readonly owners: OwnersService,
    private readonly clients: ClientRegistry,
    private readonly keys: KeysService,
  ) {}

  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.answer(req, reply);
  }

  @Post()
  @HttpCode(200)
  post(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.answer(req, reply);
  }

  @Options()
  @HttpCode(204)
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  @Header('Access-Control-Allow-Headers', 'Authorization, Content-Type')
  @Header('Access-Control-Max-Age', '86400')
  preflight(): void {}

  private async answer(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    void reply.headers(CORS);
    const token = this.presentedToken(req);
    const active = await this.accessTokens.inspect(token);
    if (!active) {
      throw new InvalidToken('the access token is invalid, expired or revoked', REALM);
    }
    if (!userinfoAcceptsAudience(active.aud, this.config)) {
      throw new InvalidToken('the access token is not meant for the UserInfo endpoint', REALM);
    }
    if (!hasOpenIdScope(active.scope)) {
      throw new InsufficientScope();
    }
    const owner = await this.owners.find(active.sub);
    if (!owner || owner.disabled) {
      throw new InvalidToken('the owner behind this access token is no longer active', REALM);
    }
    const claims = claimsFor(owner, active.scope);
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    const client = await this.clients.find(active.clientId);
    const alg = client ? oidcMetadataOf(client).userinfo_signed_response_alg : undefined;
    if (!client || !alg) {
      return reply.type('application/json').send(claims);
    }
    const iat = Math.floor(Date.now() / 1000);
    const jwt = this.keys
      .signerFor(alg)
      .withType('JWT')
      .sign({
        ...claims,
        iss: this.config.issuer,
        aud: client.clientId,
        iat,
        exp: iat + this.config.env.ID_TOKEN_TTL,
      });
    return reply.type('application/jwt').send(jwt);
  }

  /** One token, from exactly one place (RFC 6750 §2): header, or a POST form's access_token. */
  private presentedToken(req: FastifyRequest): string {
    const header = req.headers.authorization;
    const body = req.method === 'POST' ? (req.body as Record<string, unknown> | undefined) : undefined;
    const inBody = body && typeof body === 'object' ? body.access_token : undefined;
    if (header !== undefined && inBody !== undefined) {
      throw new InvalidRequest('the access token must be sent in one place only');
    }
    if (inBody !== undefined) {
      const isForm = (req.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('application/x-www-form-urlencoded');
      if (typeof inBody !== 'string' || !isForm || inBody.length === 0) {
        throw new InvalidRequest('access_token must be one form parameter');
      }
      return inBody;
    }
    if (header === undefined) {
      throw new NoToken();
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new InvalidRequest('the Authorization header must be "Bearer <token>"');
    }
    return match[1];
  }
}
