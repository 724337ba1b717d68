import { InvalidTarget } from '../common/errors/oauth-error.js';
import { normalizeResource } from '../back-channel/grants/resource.js';

/**
 * RFC 8707 §2 for a device authorization request, as at /authorize: each value an absolute URI
 * without fragment and one of the client's allowed resources; the registered spellings, once.
 */
export function allowedResources(requested: string[], allowed: readonly string[]): string[] {
  const granted = new Set<string>();
  for (const value of requested) {
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
  return [...granted];
}
