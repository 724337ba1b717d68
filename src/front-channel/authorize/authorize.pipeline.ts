import type { AuthorizeCheck, AuthorizeContext, AuthorizeDeps, RawParams } from './authorize-context.js';
import { AuthorizePageError } from './authorize-errors.js';
import { checkClaimsParam } from './checks/check-claims-param.js';
import { checkClient } from './checks/check-client.js';
import { checkHints } from './checks/check-hints.js';
import { checkIdTokenHint } from './checks/check-id-token-hint.js';
import { checkNonce } from './checks/check-nonce.js';
import { checkGrantType } from './checks/check-grant-type.js';
import { checkParams } from './checks/check-params.js';
import { checkPkce } from './checks/check-pkce.js';
import { checkPrompt } from './checks/check-prompt.js';
import { checkRedirectUri } from './checks/check-redirect-uri.js';
import { checkResource } from './checks/check-resource.js';
import { checkResponseType } from './checks/check-response-type.js';
import { checkScope } from './checks/check-scope.js';
import { checkState } from './checks/check-state.js';

/**
 * The authorization request checks, in order (node-oidc-provider lib/actions/authorization).
 * Until check-redirect-uri passes, errors are pages; after it, redirects (R-AUTHZ-7/8).
 *
 *   check               | errors                                     | requirement
 *   --------------------|--------------------------------------------|-------------------
 *   checkClient         | page: missing/repeated/unknown client_id   | R-AUTHZ-7
 *   checkRedirectUri    | page: missing (several registered), other  | R-AUTHZ-4/5/6/7
 *   checkState          | page: repeated or oversized state          | R-AUTHZ-9, R-SEC-3
 *   checkParams         | invalid_request: repeated, oversized       | R-AUTHZ-2, R-SEC-3
 *   checkResponseType   | invalid_request, unsupported_response_type | R-AUTHZ-3
 *   checkGrantType      | unauthorized_client                        | RFC 6749 §4.1.2.1
 *   checkPkce           | invalid_request (missing, plain, malformed)| R-PKCE-1..5
 *   checkScope          | invalid_scope                              | R-AUTHZ-12
 *   checkResource       | invalid_target, invalid_scope (audience)   | RFC 8707 §2, R-AT-6..8
 *   checkPrompt         | invalid_request (prompt, max_age)          | OIDC Core §3.1.2.1
 *   checkNonce          | invalid_request (nonce over 512 chars)     | R-OIDC-4
 *   checkClaimsParam    | invalid_request (claims not a JSON object) | OIDC Core §5.5
 *   checkHints          | invalid_request (ui_locales malformed)     | OIDC Core §3.1.2.1
 *   checkIdTokenHint    | invalid_request (not our unexpired token)  | R-OIDC-6
 */
export const AUTHORIZE_CHECKS: readonly AuthorizeCheck[] = [
  checkClient,
  checkRedirectUri,
  checkState,
  checkParams,
  checkResponseType,
  checkGrantType,
  checkPkce,
  checkScope,
  checkResource,
  checkPrompt,
  checkNonce,
  checkClaimsParam,
  checkHints,
  checkIdTokenHint,
];

/**
 * A fresh context from query or form parameters. Anything but strings (a JSON body with numbers
 * or objects) is refused on a page before it can reach a check.
 */
export function newAuthorizeContext(raw: Record<string, unknown>): AuthorizeContext {
  // Null prototype (issue 16 L10): a parameter named __proto__ is data, never the prototype.
  const params = Object.create(null) as RawParams;
  for (const [name, value] of Object.entries(raw)) {
    const ok =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) {
      throw new AuthorizePageError('authorization request parameters must be strings');
    }
    params[name] = value;
  }
  return { params, redirectUriVerified: false, scopes: [], resources: [], prompt: [] };
}

/** Runs every check on ctx, in order; the first failure throws. */
export async function runAuthorizeChecks(ctx: AuthorizeContext, deps: AuthorizeDeps): Promise<void> {
  for (const check of AUTHORIZE_CHECKS) {
    await check(ctx, deps);
  }
}
