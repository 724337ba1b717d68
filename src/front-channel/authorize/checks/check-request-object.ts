import { OAuthError } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';
import { AuthorizePageError } from '../authorize-errors.js';

/**
 * RFC 9101: a signed `request` object replaces the request's parameters with the ones it
 * carries (§6.3: only those are used), verified by the request-object verifier; runs right
 * after check-client, so every later check sees the object's values. Its errors are pages:
 * the redirect URI inside an unverified object cannot be trusted.
 */
export const checkRequestObject: AuthorizeCheck = async (ctx, { requestObjects }) => {
  if (Array.isArray(ctx.params.request)) {
    throw new AuthorizePageError('request must not be provided twice');
  }
  const request = param(ctx, 'request');
  if (request === undefined) {
    return;
  }
  if (!requestObjects || !ctx.client) {
    throw new OAuthError(400, 'request_not_supported', 'the request parameter is not supported');
  }
  ctx.params = await requestObjects.verify(request, ctx.client);
  ctx.requestObject = true;
};
