import type { ClientEntity } from '../clients/client.entity.js';

export type RegistrationResponse = Record<string, unknown>;

/**
 * RFC 7591 §3.2.1 / RFC 7592 §3 client information response: every stored metadata value
 * (defaults included), client_id_issued_at, the secret and registration access token only
 * when just issued (only their hashes are stored), and the configuration endpoint URI.
 */
export function toRegistrationResponse(
  client: ClientEntity,
  issuer: string,
  issued: { secret?: string | null; registrationToken?: string | null } = {},
): RegistrationResponse {
  const body: RegistrationResponse = {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
  };
  if (client.clientName) {
    body.client_name = client.clientName;
  }
  Object.assign(body, {
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
  });
  if (client.jwks) {
    body.jwks = client.jwks;
  }
  if (client.jwksUri) {
    body.jwks_uri = client.jwksUri;
  }
  Object.assign(body, client.metadata);
  if (issued.secret) {
    body.client_secret = issued.secret;
    body.client_secret_expires_at = 0;
  }
  if (issued.registrationToken) {
    body.registration_access_token = issued.registrationToken;
  }
  body.registration_client_uri = `${issuer}/register/${encodeURIComponent(client.clientId)}`;
  return body;
}
