import { matchesRegisteredRedirectUri } from '../../../clients/redirect-uri.js';
import { MAX_PARAM_LENGTH, isRepeated, param, type AuthorizeCheck } from '../authorize-context.js';
import { AuthorizePageError } from '../authorize-errors.js';

/**
 * R-AUTHZ-4/5/6/7: redirect_uri must equal a registered one (loopback ports may vary);
 * optional only when exactly one is registered and the request is not an OpenID Connect one
 * (OIDC Core §3.1.2.1 makes it REQUIRED there). Failures are pages; success makes every later
 * error a redirect.
 */
export const checkRedirectUri: AuthorizeCheck = (ctx) => {
  const registered = ctx.client?.redirectUris ?? [];
  if (isRepeated(ctx, 'redirect_uri')) {
    throw new AuthorizePageError('redirect_uri must not be provided twice');
  }
  const requested = param(ctx, 'redirect_uri');
  if (requested === undefined) {
    if (registered.length !== 1 || registered[0] === undefined) {
      throw new AuthorizePageError('redirect_uri is required: the client registered several');
    }
    if ((param(ctx, 'scope') ?? '').split(' ').includes('openid')) {
      throw new AuthorizePageError('redirect_uri is required in an OpenID Connect request');
    }
    ctx.redirectUri = registered[0];
  } else {
    if (requested.length > MAX_PARAM_LENGTH || !matchesRegisteredRedirectUri(registered, requested)) {
      throw new AuthorizePageError('redirect_uri is not registered for this client');
    }
    ctx.redirectUri = requested;
  }
  ctx.redirectUriVerified = true;
};
