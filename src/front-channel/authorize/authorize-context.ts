import type { ClientEntity } from '../../clients/client.entity.js';
import type { AppConfig } from '../../config/app-config.js';
import type { ClientRegistry } from '../../clients/client-registry.js';
import type { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import type { IdTokenHintVerifier } from '../../oidc/id-token-hint.js';

export type Prompt = 'none' | 'login' | 'consent';

/** Raw query or form parameters: Fastify turns a repeated parameter into an array. */
export type RawParams = Record<string, string | string[] | undefined>;

/** The authorization request as the checks build it up (node-oidc-provider's ctx.oidc). */
export interface AuthorizeContext {
  params: RawParams;
  client?: ClientEntity;
  redirectUri?: string;
  /** Set by check-redirect-uri: from then on errors go back to the client by redirect. */
  redirectUriVerified: boolean;
  state?: string;
  codeChallenge?: string;
  scopes: string[];
  resources: string[];
  prompt: Prompt[];
  maxAge?: number;
  /** OpenID Connect (src/oidc): nonce, id_token_hint subject, login_hint. */
  nonce?: string;
  hintSubject?: string;
  loginHint?: string;
}

export interface AuthorizeDeps {
  clients: ClientRegistry;
  config: AppConfig;
  /** The audience and resource-scope rules (src/resources/registry). */
  audience: AudiencePolicy;
  idTokenHints?: IdTokenHintVerifier;
}

/** One step of the pipeline: throws an OAuthError or fills in the context. */
export type AuthorizeCheck = (ctx: AuthorizeContext, deps: AuthorizeDeps) => void | Promise<void>;

/** Longest value accepted for any single parameter (R-SEC-3). */
export const MAX_PARAM_LENGTH = 2048;

/** The parameter's single value; '' counts as absent (R-AUTHZ-2). Arrays are left to the caller. */
export function param(ctx: AuthorizeContext, name: string): string | undefined {
  const value = ctx.params[name];
  if (Array.isArray(value)) {
    return undefined;
  }
  return value === '' ? undefined : value;
}

export function isRepeated(ctx: AuthorizeContext, name: string): boolean {
  return Array.isArray(ctx.params[name]);
}
