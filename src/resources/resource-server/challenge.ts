import type { ResourceServerError } from './resource-server.error.js';

/** RFC 6750 §3: quoted values use %x20-21 / %x23-5B / %x5D-7E only (no quote, no backslash). */
const safe = (value: string): string => value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
/** RFC 6750 §3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space separated. */
const safeScope = (scopes: string[]): string =>
  scopes
    .map((s) => s.replace(/[^\x21\x23-\x5B\x5D-\x7E]/g, ''))
    .filter(Boolean)
    .join(' ');

/**
 * The WWW-Authenticate value for a bearer failure (RFC 6750 §3, RFC 9728 §5.1): each
 * attribute at most once (R-RS-11), no `error` when no token was sent (R-RS-8), and
 * `resource_metadata` on 401s (R-RS-13).
 */
export function bearerChallenge(
  error: ResourceServerError,
  realm: string,
  resourceMetadataUrl: string,
  /** When DPoP is accepted: its algorithms, for a `DPoP algs="…"` challenge (RFC 9449 §7.1). */
  dpopAlgorithms?: readonly string[],
): string | undefined {
  if (error.getStatus() === 503) {
    return undefined;
  }
  const params: Array<[string, string]> = [['realm', realm]];
  if (error.code) {
    params.push(['error', error.code]);
    if (error.description) {
      params.push(['error_description', error.description]);
    }
  }
  if (error.scope && error.scope.length > 0) {
    params.push(['scope', safeScope(error.scope)]);
  }
  params.push(['resource_metadata', resourceMetadataUrl]);
  const render = (list: Array<[string, string]>): string =>
    list.map(([k, v]) => `${k}="${k === 'scope' ? v : safe(v)}"`).join(', ');
  if (!dpopAlgorithms) {
    return `Bearer ${render(params)}`;
  }
  const algs: [string, string] = ['algs', dpopAlgorithms.join(' ')];
  if (error.scheme === 'DPoP') {
    // The request used DPoP: the error is reported in the DPoP challenge (RFC 9449 §7.1).
    return `DPoP ${render([...params, algs])}`;
  }
  return `Bearer ${render(params)}, DPoP ${render([['realm', realm], algs])}`;
}
