import type { RawParams } from '../authorize/authorize-context.js';
import { AuthorizePageError } from '../authorize/authorize-errors.js';
import { PushedRequestStore, REQUEST_URI_PREFIX } from './pushed-request.store.js';

/** At /authorize, only these may accompany a pushed request_uri (RFC 9126 §4). */
const ALLOWED_WITH_REQUEST_URI = new Set(['client_id', 'request_uri']);

/**
 * RFC 9126 §4 (R-PAR-7): replaces `request_uri=urn:ietf:params:oauth:request_uri:…` by the
 * parameters pushed with it, after checking it is known, unexpired and issued to the same
 * client_id, and that nothing else tries to override the pushed parameters. Failures are pages:
 * no redirect URI has been verified. Any other request_uri is left to the pipeline (refused).
 */
export async function expandPushedRequest(
  params: RawParams,
  store: PushedRequestStore,
): Promise<{ params: RawParams; handle: string } | undefined> {
  const requestUri = params.request_uri;
  if (typeof requestUri !== 'string' || !requestUri.startsWith(REQUEST_URI_PREFIX)) {
    return undefined;
  }
  const extra = Object.keys(params).filter((name) => !ALLOWED_WITH_REQUEST_URI.has(name));
  if (extra.length > 0) {
    throw new AuthorizePageError(
      `only client_id may accompany a pushed request_uri (got ${extra.slice(0, 3).join(', ').slice(0, 80)})`,
    );
  }
  const opened = await store.open(requestUri);
  if (!opened) {
    throw new AuthorizePageError('the request_uri is unknown, expired or already used');
  }
  if (typeof params.client_id !== 'string' || params.client_id !== opened.request.clientId) {
    throw new AuthorizePageError('the request_uri was issued to another client');
  }
  return { params: opened.request.params, handle: opened.handle };
}
