import { InvalidRequest, UnsupportedResponseType } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/** R-AUTHZ-3: response_type=code only; the implicit grant is gone in OAuth 2.1. */
export const checkResponseType: AuthorizeCheck = (ctx) => {
  const responseType = param(ctx, 'response_type');
  if (!responseType) {
    throw new InvalidRequest('response_type is required');
  }
  if (responseType !== 'code') {
    throw new UnsupportedResponseType('only response_type=code is supported');
  }
  const responseMode = param(ctx, 'response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    throw new InvalidRequest('only response_mode=query is supported');
  }
};
