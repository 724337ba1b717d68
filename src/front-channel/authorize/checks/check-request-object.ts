import { OAuthError } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * RFC 9101 §6.3 / OIDC Core §6: signed request objects are not supported, so `request` and
 * `request_uri` are refused rather than silently ignored (which would process a different
 * request than the client meant). Pushed requests (RFC 9126) are expanded before the pipeline
 * runs, so a `request_uri` still present here is one the server did not issue.
 */
export const checkRequestObject: AuthorizeCheck = (ctx) => {
  if (param(ctx, 'request') !== undefined || Array.isArray(ctx.params.request)) {
    throw new OAuthError(400, 'request_not_supported', 'the request parameter is not supported');
  }
  if (param(ctx, 'request_uri') !== undefined || Array.isArray(ctx.params.request_uri)) {
    throw new OAuthError(400, 'request_uri_not_supported', 'request_uri is not supported here');
  }
};
