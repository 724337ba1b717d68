import { InvalidScope } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * RFC 8707 §2 / R-AT-6..8: the requested resources (or the client's default resource, or the
 * one the scopes imply) and the scope rule, both decided by the AudiencePolicy — the same rules
 * the token endpoint applies. Registered spellings are kept; scopes are final after this check.
 */
export const checkResource: AuthorizeCheck = async (ctx, deps) => {
  const raw = ctx.params.resource;
  const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => v !== '');
  if (!ctx.client) {
    return;
  }
  const explicit = param(ctx, 'scope') !== undefined;
  const decided = await deps.audience.forAuthorization(ctx.client, values, ctx.scopes, explicit);
  if (decided.scopes.length === 0) {
    // R-AUTHZ-12: the client's default scope spans several resources and none was named.
    throw new InvalidScope(
      "the client's registered scopes belong to several resources: request a scope or a resource",
    );
  }
  ctx.resources = decided.resources;
  ctx.scopes = decided.scopes;
};
