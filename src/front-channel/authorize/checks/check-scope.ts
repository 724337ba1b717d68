import { InvalidScope } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * R-AUTHZ-12: requested scopes must be within the client's registered scope. Documented
 * default: with no scope parameter, the client's whole registered scope is requested; a client
 * with no registered scope then gets invalid_scope. Which resource a scope may go with is
 * checkResource's (the AudiencePolicy's) rule.
 */
export const checkScope: AuthorizeCheck = (ctx) => {
  const allowed = new Set((ctx.client?.scope ?? '').split(' ').filter(Boolean));
  const raw = param(ctx, 'scope');
  const requested = raw === undefined ? [...allowed] : [...new Set(raw.split(' ').filter(Boolean))];
  if (requested.length === 0) {
    throw new InvalidScope('scope is required: the client has no default scope');
  }
  for (const scope of requested) {
    if (!SCOPE_TOKEN.test(scope)) {
      throw new InvalidScope('scope is malformed');
    }
    if (!allowed.has(scope)) {
      throw new InvalidScope(`scope ${scope.slice(0, 64)} is not allowed for this client`);
    }
  }
  ctx.scopes = requested;
};
