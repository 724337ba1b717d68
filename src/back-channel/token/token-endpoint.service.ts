import { Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from '../../common/errors/oauth-error.js';
import { DpopTokenRequest } from '../../dpop/dpop-token-request.js';
import { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import { CLIENT_AUTH_PARAMETERS } from '../client-auth/client-auth-method.js';
import { readOAuthForm } from '../http/oauth-form.js';
import { GrantRegistry } from '../grants/grant-registry.js';
import { Metrics } from '../../metrics/metrics.js';
import type { TokenResponse } from '../grants/grant-handler.js';

const REPEATABLE = new Set(['resource']);

/**
 * The shared steps of POST /token, in node-oidc-provider's order (lib/actions/token.js):
 * form body and duplicate check, client authentication, grant_type present, supported and
 * allowed for the client, parameters not declared by the grant dropped, the DPoP binding
 * resolved (RFC 9449 §5); then the grant handler, given that binding.
 */
@Injectable()
export class TokenEndpoint {
  private known: readonly string[] | undefined;

  constructor(
    private readonly grants: GrantRegistry,
    private readonly authenticator: ClientAuthenticator,
    private readonly dpop: DpopTokenRequest,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Every parameter /token reads; computed once (the registry is complete after start-up). */
  private knownParameters(): readonly string[] {
    this.known ??= ['grant_type', ...CLIENT_AUTH_PARAMETERS, ...this.grants.parameters()];
    return this.known;
  }

  async handle(request: FastifyRequest): Promise<TokenResponse> {
    const form = readOAuthForm(request, this.knownParameters(), REPEATABLE);
    const { client, method } = await this.authenticator.authenticate(request, form);
    const grantType = form.get('grant_type');
    if (grantType === undefined) {
      throw new InvalidRequest("missing required parameter 'grant_type'");
    }
    const handler = this.grants.get(grantType);
    if (!handler) {
      throw new UnsupportedGrantType('unsupported grant_type requested');
    }
    if (!(client.grantTypes as string[]).includes(grantType)) {
      throw new UnauthorizedClient('grant_type is not allowed for this client');
    }
    const params = Object.create(null) as Record<string, string | undefined>; // issue 16 L10
    for (const name of handler.parameters) {
      params[name] = form.get(name);
    }
    const resources = handler.parameters.includes('resource') ? form.all('resource') : [];
    const binding = await this.dpop.resolve(request, client);
    const response = await handler.handle({
      client,
      authMethod: method,
      params,
      resources,
      ...(binding ? { dpop: binding } : {}),
    });
    this.countIssued(grantType, response);
    return response;
  }

  /** tessera_tokens_issued_total: by grant type, token type and format (a JWT has three segments). */
  private countIssued(grantType: string, response: TokenResponse): void {
    if (!this.metrics) {
      return;
    }
    const format = response.access_token.split('.').length === 3 ? 'jwt' : 'opaque';
    this.metrics.tokensIssued.inc({ grant_type: grantType, token_type: 'access_token', format });
    if ((response as { refresh_token?: string }).refresh_token) {
      this.metrics.tokensIssued.inc({ grant_type: grantType, token_type: 'refresh_token', format: 'opaque' });
    }
  }
}
