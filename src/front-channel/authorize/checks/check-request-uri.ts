import { OAuthError } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * RFC 9101 §5.2: request objects by reference are not fetched. Pushed requests' URNs (RFC 9126)
 * are expanded before the pipeline runs, so a `request_uri` still present here is one this
 * server did not issue: request_uri_not_supported rather than silently ignored.
 */
export const checkRequestUri: AuthorizeCheck = (ctx) => {
  if (param(ctx, 'request_uri') !== undefined || Array.isArray(ctx.params.request_uri)) {
    throw new OAuthError(400, 'request_uri_not_supported', 'request_uri is not supported here');
  }
};
