import { InvalidScope } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * R-AUTHZ-12: requested scopes must be within the client's registered scope (for dynamically
 * registered clients: any known scope, see below). Documented
 * default: with no scope parameter, the client's whole registered scope is requested; a client
 * with no registered scope then gets invalid_scope. Which resource a scope may go with is
 * checkResource's (the AudiencePolicy's) rule.
 */
export const checkScope: AuthorizeCheck = async (ctx, { audience }) => {
  const registered = (ctx.client?.scope ?? '').split(' ').filter(Boolean);
  const allowed = new Set(registered);
  if (ctx.client?.dynamicallyRegistered) {
    // Step-up (R-MCP-16): a self-registered client's `scope` is self-asserted (any client may
    // register every known scope), so it is its default, not a ceiling; MCP clients register
    // the scope of their first challenge and later ask for more. The owner's consent decides.
    for (const name of (await audience.catalog()).scopeNames()) {
      allowed.add(name);
    }
  }
  const raw = param(ctx, 'scope');
  const requested = raw === undefined ? registered : [...new Set(raw.split(' ').filter(Boolean))];
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
