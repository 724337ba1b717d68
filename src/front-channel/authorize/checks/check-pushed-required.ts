import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import type { AuthorizeCheck } from '../authorize-context.js';

/**
 * RFC 9126 §5/§6 (R-PAR-10): when PAR is required globally or for this client, a request that
 * did not come through /par (or a request_uri from it) is invalid_request.
 */
export const checkPushedRequired: AuthorizeCheck = (ctx, { config }) => {
  const required =
    config.env.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS ||
    ctx.client?.requirePushedAuthorizationRequests === true;
  if (required && !ctx.pushed) {
    throw new InvalidRequest('this client must push its authorization request to the PAR endpoint first');
  }
};
