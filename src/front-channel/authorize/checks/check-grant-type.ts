import { UnauthorizedClient } from '../../../common/errors/oauth-error.js';
import type { AuthorizeCheck } from '../authorize-context.js';

/** The client must be registered for the authorization_code grant. */
export const checkGrantType: AuthorizeCheck = (ctx) => {
  if (!ctx.client?.grantTypes.includes('authorization_code')) {
    throw new UnauthorizedClient('the client is not allowed to use the authorization_code grant');
  }
};
