import type { ClientEntity } from '../../clients/client.entity.js';
import type { ClientRegistry } from '../../clients/client-registry.js';
import { AuthorizePageError } from '../../front-channel/authorize/authorize-errors.js';
import type { IdTokenHint, IdTokenHintVerifier } from '../id-token-hint.js';
import { oidcMetadataOf } from '../oidc-client-metadata.js';

/** A validated RP-Initiated Logout request (RP-Initiated Logout 1.0 §2, R-OIDC-10). */
export interface EndSessionRequest {
  client: ClientEntity | null;
  hint: IdTokenHint | null;
  /** Only a URI registered for the client, exactly. */
  postLogoutRedirectUri?: string;
  state?: string;
}

const single = (params: Record<string, unknown>, name: string): string | undefined => {
  const value = params[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 8192) {
    throw new AuthorizePageError(`${name} must be given once`);
  }
  return value;
};

/**
 * Checks every parameter; each problem is a page (never a redirect): a bad id_token_hint, a
 * client_id that is not the hint's audience, a post_logout_redirect_uri without an identified
 * client or not registered for it.
 */
export async function parseEndSessionRequest(
  params: Record<string, unknown>,
  deps: { clients: ClientRegistry; hints: IdTokenHintVerifier },
): Promise<EndSessionRequest> {
  const hintToken = single(params, 'id_token_hint');
  const clientId = single(params, 'client_id');
  const redirectUri = single(params, 'post_logout_redirect_uri');
  const state = single(params, 'state');
  let hint: IdTokenHint | null = null;
  if (hintToken !== undefined) {
    // RP-Initiated Logout §2: an expired ID token still identifies the session.
    hint = await deps.hints.verify(hintToken, { allowExpired: true });
    if (!hint) {
      throw new AuthorizePageError('id_token_hint is not an ID token issued by this server');
    }
    if (clientId !== undefined && !hint.aud.includes(clientId)) {
      throw new AuthorizePageError('client_id does not match the id_token_hint');
    }
  }
  const id = clientId ?? hint?.aud[0];
  const client = id === undefined ? null : await deps.clients.find(id);
  if (id !== undefined && (!client || client.disabled)) {
    throw new AuthorizePageError('unknown client', 400, 'invalid_client');
  }
  if (redirectUri !== undefined) {
    const registered = client ? (oidcMetadataOf(client).post_logout_redirect_uris ?? []) : [];
    if (!registered.includes(redirectUri)) {
      throw new AuthorizePageError(
        client
          ? 'post_logout_redirect_uri is not registered for this client'
          : 'post_logout_redirect_uri needs id_token_hint or client_id',
      );
    }
  }
  return {
    client,
    hint,
    ...(redirectUri === undefined ? {} : { postLogoutRedirectUri: redirectUri }),
    ...(state === undefined ? {} : { state }),
  };
}

/** The RP's post-logout redirect with its state (query, like the authorization response). */
export function postLogoutLocation(request: EndSessionRequest): string | null {
  if (!request.postLogoutRedirectUri) {
    return null;
  }
  const url = new URL(request.postLogoutRedirectUri);
  if (request.state !== undefined) {
    url.searchParams.set('state', request.state);
  }
  return url.toString();
}
