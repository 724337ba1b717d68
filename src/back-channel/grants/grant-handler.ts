import { SetMetadata } from '@nestjs/common';
import type { ClientEntity } from '../../clients/client.entity.js';
import type { DpopBinding } from '../../dpop/dpop-binding.js';

/** How the client authenticated at the endpoint (RFC 7591 token_endpoint_auth_method). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface AuthenticatedClient {
  client: ClientEntity;
  method: ClientAuthMethod;
}

/** A token request after the shared steps: client authenticated, duplicates rejected, params filtered. */
export interface TokenRequest {
  client: ClientEntity;
  authMethod: ClientAuthMethod;
  /** Only the parameters the grant declared, each a single non-empty string. */
  params: Record<string, string | undefined>;
  /** RFC 8707 `resource` values (the one parameter that may repeat). */
  resources: string[];
  /**
   * The key the request proved possession of (RFC 9449 §5), resolved once by the token endpoint;
   * pass it to AccessTokenService.issue and the refresh-token service so what is issued is bound.
   */
  dpop?: DpopBinding;
}

/** RFC 6749 §5.1 success body. */
export interface TokenResponse {
  access_token: string;
  /** DPoP when the request carried a valid proof (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  /** RFC 8693 §2.2.1, token exchange only. */
  issued_token_type?: string;
  /** OpenID Connect Core §3.1.3.3, for a grant that issues one. */
  id_token?: string;
}

/**
 * One grant type (node-oidc-provider lib/actions/grants/*): its parameter allow-list and handler.
 *
 * To add a grant from any module of the public app: implement this interface in an
 * `@Injectable()` class, mark it `@GrantHandlerProvider()` and list it in that module's
 * providers. The GrantRegistry discovers it at start; nothing in src/tokens changes. The token
 * endpoint has already authenticated the client, rejected repeated parameters, checked that
 * `grantType` is in `client.grantTypes` and dropped every parameter not in `parameters`.
 * Throw the OAuthError classes (InvalidGrant, InvalidScope, InvalidTarget, ...) on failure.
 */
export interface GrantHandler {
  readonly grantType: string;
  /** Grant-specific parameters (besides grant_type and client authentication). */
  readonly parameters: readonly string[];
  handle(request: TokenRequest): Promise<TokenResponse>;
}

export const GRANT_HANDLER_METADATA = 'tessera:grantHandler';

/** Marks a provider as a grant handler; the grant registry discovers every marked provider. */
export const GrantHandlerProvider = (): ClassDecorator => SetMetadata(GRANT_HANDLER_METADATA, true);
