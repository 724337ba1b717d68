import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClientMetadataDocumentError } from '../../client-id-metadata/client-metadata-document.error.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { InvalidClient, InvalidRequest } from '../../common/errors/oauth-error.js';
import type { AuthenticatedClient } from '../grants/grant-handler.js';
import type { OAuthForm } from '../http/oauth-form.js';
import {
  CLIENT_AUTH_METHODS,
  type ClientAuthMethodHandler,
  type ClientCredentialsInput,
} from './client-auth-method.js';

/**
 * Client authentication shared by /token, /introspect and /revoke (R-CAUTH): finds which
 * method the request uses (more than one → invalid_request, R-CAUTH-4; none but a client_id →
 * `none`), looks the client up in the cached registry, enforces its registered method
 * (R-CAUTH-5) and lets the method verify the credentials. Every failure is 401 invalid_client,
 * with a Basic challenge when the Authorization header was used (R-TOK-11).
 */
@Injectable()
export class ClientAuthenticator {
  private readonly none: ClientAuthMethodHandler;
  private readonly credentialed: ClientAuthMethodHandler[];

  constructor(
    private readonly registry: ClientRegistry,
    @Inject(CLIENT_AUTH_METHODS) methods: ClientAuthMethodHandler[],
  ) {
    const none = methods.find((m) => m.method === 'none');
    if (!none) {
      throw new Error('the none client authentication method must be registered');
    }
    this.none = none;
    this.credentialed = methods.filter((m) => m.method !== 'none');
  }

  async authenticate(request: FastifyRequest, form: OAuthForm): Promise<AuthenticatedClient> {
    const input: ClientCredentialsInput = {
      authorization: request.headers.authorization,
      form,
      sourceAddress: request.ip,
    };
    const scheme = input.authorization === undefined ? 'none' : 'Basic';
    const used = this.credentialed.filter((m) => m.present(input));
    if (used.length > 1) {
      throw new InvalidRequest('more than one client authentication method was used');
    }
    const handler = used[0] ?? this.none;
    if (handler === this.none && !this.none.present(input)) {
      throw new InvalidClient('client authentication required', undefined, 'none');
    }
    const clientId = handler.claimedClientId(input);
    const bodyClientId = form.get('client_id');
    if (bodyClientId !== undefined && bodyClientId !== clientId) {
      throw new InvalidRequest('client_id does not match the authenticated client');
    }
    const client = await this.registry.find(clientId).catch((err: unknown) => {
      if (err instanceof ClientMetadataDocumentError) {
        throw new InvalidClient(err.description, err.detail, scheme); // R-MCP-6: 401 here
      }
      throw err;
    });
    if (!client || client.disabled) {
      throw new InvalidClient('client authentication failed', 'unknown or disabled client', scheme);
    }
    if (client.tokenEndpointAuthMethod !== handler.method) {
      // Names both methods: the usual cause is a library sending the secret in the body
      // (client_secret_post) to a client registered for client_secret_basic, or the reverse.
      const message = `client is registered for token_endpoint_auth_method ${client.tokenEndpointAuthMethod}, but the request used ${handler.method}`;
      throw new InvalidClient(message, message, scheme);
    }
    await handler.verify(input, client);
    return { client, method: handler.method };
  }
}
