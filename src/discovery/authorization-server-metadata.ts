import type { AppConfig } from '../config/app-config.js';
import { ASSERTION_ALGORITHMS } from '../back-channel/client-auth/private-key-jwt.method.js';
import { DPOP_ALGORITHMS } from '../dpop/dpop-proof.js';
import { openIdProviderMetadata } from '../oidc/oidc-metadata.js';

/** Client authentication methods R-CAUTH enables at /token and /revoke. */
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
/** Introspection needs an authenticated confidential client (R-INT-2): no `none`. */
const INTROSPECTION_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

export type AuthorizationServerMetadata = Record<string, string | boolean | string[]>;

/**
 * RFC 8414 §2 metadata: only what works, no empty arrays (R-META-10). Built once at start;
 * the OpenID Connect discovery document serves the same object (R-META-11).
 */
export function buildAuthorizationServerMetadata(config: AppConfig): AuthorizationServerMetadata {
  const issuer = config.issuer;
  const metadata: AuthorizationServerMetadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    ...(config.env.REGISTRATION_POLICY === 'disabled' ? {} : { registration_endpoint: `${issuer}/register` }),
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    scopes_supported: config.scopes.map((s) => s.name),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    device_authorization_endpoint: `${issuer}/device_authorization`,
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    introspection_endpoint_auth_methods_supported: INTROSPECTION_AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    pushed_authorization_request_endpoint: `${issuer}/par`,
    require_pushed_authorization_requests: config.env.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    // By reference only through /par: OpenID Discovery's default for this is true.
    request_uri_parameter_supported: false,
    // draft-ietf-oauth-client-id-metadata-document §5 / R-MCP-5: only when accepted.
    ...(config.env.CLIENT_ID_METADATA_DOCUMENTS === 'on'
      ? { client_id_metadata_document_supported: true }
      : {}),
    ...openIdProviderMetadata(config),
    ...(config.env.SERVICE_DOCUMENTATION ? { service_documentation: config.env.SERVICE_DOCUMENTATION } : {}),
  };
  for (const [name, value] of Object.entries(metadata)) {
    if (Array.isArray(value) && value.length === 0) {
      delete metadata[name];
    }
  }
  return metadata;
}

/** The issuer's path ('' for an issuer at the root), for RFC 8414 §3.1 path insertion. */
export function issuerPath(issuer: string): string {
  const path = new URL(issuer).pathname;
  return path === '/' ? '' : path.replace(/\/$/, '');
}
