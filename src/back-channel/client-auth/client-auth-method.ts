import type { ClientEntity } from '../../clients/client.entity.js';
import type { ClientAuthMethod } from '../grants/grant-handler.js';
import type { OAuthForm } from '../http/oauth-form.js';

/** What client authentication reads from a request: the Authorization header and the form. */
export interface ClientCredentialsInput {
  authorization: string | undefined;
  form: OAuthForm;
  /** The request's source address (request.ip: honours TRUST_PROXY), for per-address throttling. */
  sourceAddress: string;
}

/** Form parameters that carry client credentials (read by every client-authenticated endpoint). */
export const CLIENT_AUTH_PARAMETERS = [
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
] as const;

/**
 * One client authentication method (RFC 7591 token_endpoint_auth_method), like a Passport
 * strategy but split in two steps so the authenticator can reject requests that carry more
 * than one method (R-CAUTH-4) and enforce the registered method (R-CAUTH-5) before any
 * secret is checked. Add a method (e.g. tls_client_auth) by implementing this and listing it
 * in CLIENT_AUTH_METHODS (client-auth.module.ts).
 */
export interface ClientAuthMethodHandler {
  readonly method: ClientAuthMethod;
  /** Whether the request carries this method's credentials. Never called for `none`. */
  present(input: ClientCredentialsInput): boolean;
  /** The client_id the credentials claim, unverified; throws when unreadable. */
  claimedClientId(input: ClientCredentialsInput): string;
  /** Verifies the credentials for the found, enabled client registered with this method. */
  verify(input: ClientCredentialsInput, client: ClientEntity): Promise<void>;
}

export const CLIENT_AUTH_METHODS = Symbol('CLIENT_AUTH_METHODS');
