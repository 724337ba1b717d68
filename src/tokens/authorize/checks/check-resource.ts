import { InvalidTarget } from '../../../common/errors/oauth-error.js';
import type { AuthorizeCheck } from '../authorize-context.js';

/** RFC 8707 §2: each resource is an absolute URI without fragment, allowed for the client. */
export const checkResource: AuthorizeCheck = (ctx) => {
  const raw = ctx.params.resource;
  const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => v !== '');
  const allowed = new Set(ctx.client?.allowedResources ?? []);
  for (const value of values) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InvalidTarget('resource must be an absolute URI');
    }
    if (url.hash || value.includes('#')) {
      throw new InvalidTarget('resource must not contain a fragment');
    }
    if (!allowed.has(value)) {
      throw new InvalidTarget('resource is not allowed for this client');
    }
  }
  ctx.resources = [...new Set(values)];
};
