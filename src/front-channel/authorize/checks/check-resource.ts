import { InvalidTarget } from '../../../common/errors/oauth-error.js';
import { normalizeResource } from '../../../back-channel/grants/resource.js';
import type { AuthorizeCheck } from '../authorize-context.js';

/**
 * RFC 8707 §2: each resource is an absolute URI without fragment, one of the client's allowed
 * resources (compared as the token endpoint does, R-MCP-4); the registered spelling is kept.
 */
export const checkResource: AuthorizeCheck = (ctx) => {
  const raw = ctx.params.resource;
  const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => v !== '');
  const allowed = ctx.client?.allowedResources ?? [];
  const granted = new Set<string>();
  for (const value of values) {
    const wanted = normalizeResource(value);
    if (wanted === null) {
      throw new InvalidTarget('resource must be an absolute URI without a fragment');
    }
    const match = allowed.find((r) => normalizeResource(r) === wanted);
    if (match === undefined) {
      throw new InvalidTarget('resource is not allowed for this client');
    }
    granted.add(match);
  }
  ctx.resources = [...granted];
};
