import { InvalidTarget } from '../../common/errors/oauth-error.js';

/**
 * RFC 8707 resource indicators. Values are compared after normalising scheme and host to
 * lower case (WHATWG URL) and dropping a lone trailing "/" path, so `https://API.example/`
 * matches a registered `https://api.example` (R-MCP-4). The registered spelling is what ends
 * up in `aud`.
 */
export function normalizeResource(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.hash !== '' || value.includes('#')) {
    return null; // RFC 8707 §2: no fragment
  }
  const href = url.href;
  return url.pathname === '/' && url.search === '' ? href.slice(0, -1) : href;
}

/**
 * Picks the audience for one access token from the requested `resource` values (R-AT-6..9):
 * at most one value, an absolute URI without fragment, one of `allowed`. Returns the
 * registered spelling, or undefined when no resource was requested.
 */
export function selectResource(requested: string[], allowed: readonly string[]): string | undefined {
  if (requested.length === 0) {
    return undefined;
  }
  if (requested.length > 1) {
    throw new InvalidTarget('only one resource per access token is supported');
  }
  const wanted = normalizeResource(requested[0] as string);
  if (wanted === null) {
    throw new InvalidTarget('resource must be an absolute URI without a fragment');
  }
  const match = allowed.find((r) => normalizeResource(r) === wanted);
  if (match === undefined) {
    throw new InvalidTarget('resource is not allowed for this client');
  }
  return match;
}
