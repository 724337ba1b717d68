import { InvalidClientMetadata, InvalidRedirectUriMetadata } from '../common/errors/oauth-error.js';
import type { GrantType, TokenEndpointAuthMethod } from './client.entity.js';
import { redirectUriProblem } from './redirect-uri.js';

export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
];
export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];
export const MAX_REDIRECT_URIS = 20;

/** Auth methods that use a server-generated shared secret. */
export const usesSecret = (method: TokenEndpointAuthMethod): boolean =>
  method === 'client_secret_basic' || method === 'client_secret_post';

/** The protocol-relevant part of a registration, after defaults were applied. */
export interface ClientProtocolSettings {
  tokenEndpointAuthMethod: string;
  grantTypes: string[];
  responseTypes: string[];
  redirectUris: string[];
  scope: string;
  jwks: unknown;
  jwksUri: string | null;
}

/** Omitted response_types follow the grant types (R-REG-4: consistent, shown in the response). */
export function defaultResponseTypes(grantTypes: readonly string[]): string[] {
  return grantTypes.includes('authorization_code') ? ['code'] : [];
}

function fail(message: string): never {
  throw new InvalidClientMetadata(message);
}

function checkGrantTypes(s: ClientProtocolSettings): void {
  if (s.grantTypes.length === 0) {
    fail('grant_types must not be empty');
  }
  for (const grant of s.grantTypes) {
    // R-REG-6: implicit, password and anything else outside OAuth 2.1 is refused.
    if (!GRANT_TYPES.includes(grant as GrantType)) {
      fail(`grant_types: "${grant}" is not supported (allowed: ${GRANT_TYPES.join(', ')})`);
    }
  }
  if (new Set(s.grantTypes).size !== s.grantTypes.length) {
    fail('grant_types must not repeat a value');
  }
  // R-CLI-5 / R-REG-6: client_credentials needs a confidential client.
  if (s.tokenEndpointAuthMethod === 'none' && s.grantTypes.includes('client_credentials')) {
    fail(
      'grant_types: client_credentials is not allowed for public clients (token_endpoint_auth_method none)',
    );
  }
  if (s.grantTypes.includes('refresh_token') && s.grantTypes.length === 1) {
    fail(
      'grant_types: refresh_token needs a grant that issues refresh tokens (authorization_code, device_code)',
    );
  }
}

function checkResponseTypes(s: ClientProtocolSettings): void {
  for (const type of s.responseTypes) {
    if (type !== 'code') {
      // R-REG-6: response_type token (implicit) and hybrid types are refused.
      fail(`response_types: "${type}" is not supported (only "code")`);
    }
  }
  const wantsCode = s.grantTypes.includes('authorization_code');
  if (wantsCode !== s.responseTypes.includes('code') || s.responseTypes.length > 1) {
    fail('response_types must be ["code"] with the authorization_code grant and [] without it');
  }
}

function checkRedirectUris(s: ClientProtocolSettings): void {
  if (s.redirectUris.length > MAX_REDIRECT_URIS) {
    throw new InvalidRedirectUriMetadata(`redirect_uris: at most ${MAX_REDIRECT_URIS} URIs`);
  }
  s.redirectUris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri);
    if (problem) {
      // By position: echoing the URI could put characters RFC 6749 §5.2 forbids in the description.
      throw new InvalidRedirectUriMetadata(`redirect_uris[${i}] ${problem}`);
    }
  });
  // R-REG-5: the code grant needs at least one redirect URI.
  if (s.grantTypes.includes('authorization_code') && s.redirectUris.length === 0) {
    throw new InvalidRedirectUriMetadata('redirect_uris: the authorization_code grant needs at least one');
  }
}

function checkKeys(s: ClientProtocolSettings): void {
  // R-REG-4: jwks and jwks_uri are mutually exclusive; private_key_jwt needs one of them.
  if (s.jwks != null && s.jwksUri != null) {
    fail('jwks and jwks_uri must not both be present');
  }
  if (s.tokenEndpointAuthMethod === 'private_key_jwt' && s.jwks == null && s.jwksUri == null) {
    fail('token_endpoint_auth_method private_key_jwt requires jwks or jwks_uri');
  }
  if (s.jwks != null) {
    const keys = (s.jwks as { keys?: unknown }).keys;
    if (
      typeof s.jwks !== 'object' ||
      !Array.isArray(keys) ||
      keys.length === 0 ||
      keys.some(
        (k) => typeof k !== 'object' || k === null || typeof (k as { kty?: unknown }).kty !== 'string',
      )
    ) {
      fail('jwks must be a JWK Set: {"keys": [ {"kty": ...}, ... ]}');
    }
    if (keys.some((k) => 'd' in (k as object))) {
      fail('jwks must contain public keys only');
    }
    // Issue 16 L9: a symmetric key is a shared secret, never stored in plaintext metadata.
    if (keys.some((k) => (k as { kty: string }).kty === 'oct' || 'k' in (k as object))) {
      fail('jwks must not contain symmetric (oct) keys');
    }
  }
  // Issue 16 L9: a public client proves nothing with keys; they would only be misleading.
  if (s.tokenEndpointAuthMethod === 'none' && (s.jwks != null || s.jwksUri != null)) {
    fail('jwks and jwks_uri are not allowed for public clients (token_endpoint_auth_method none)');
  }
  if (s.jwksUri != null && !/^https:\/\/[^\s#]+$/.test(s.jwksUri)) {
    fail('jwks_uri must be an https URL without a fragment');
  }
}

/**
 * Decision: `scope` must be a subset of the configured SCOPES; unknown scopes are refused
 * rather than silently dropped, so a typo is visible at registration time.
 */
function checkScope(s: ClientProtocolSettings, knownScopes: readonly string[]): void {
  const unknown = s.scope
    .split(' ')
    .filter(Boolean)
    .filter((name) => !knownScopes.includes(name));
  if (unknown.length > 0) {
    fail(`scope: unknown scope(s) ${unknown.map((u) => `"${u.slice(0, 64)}"`).join(', ')}`);
  }
}

/**
 * Checks shared by the admin API and dynamic registration. Throws invalid_redirect_uri for
 * redirect URI problems and invalid_client_metadata for everything else (RFC 7591 §3.2.2).
 */
export function assertClientRules(s: ClientProtocolSettings, knownScopes: readonly string[]): void {
  if (!AUTH_METHODS.includes(s.tokenEndpointAuthMethod as TokenEndpointAuthMethod)) {
    fail(`token_endpoint_auth_method: "${s.tokenEndpointAuthMethod}" is not supported`);
  }
  checkGrantTypes(s);
  checkResponseTypes(s);
  checkRedirectUris(s);
  checkKeys(s);
  checkScope(s, knownScopes);
}

/** Normalises a space-delimited scope string: single spaces, no duplicates. */
export function normaliseScope(scope: string): string {
  return [...new Set(scope.split(/\s+/).filter(Boolean))].join(' ');
}
