import type { ClientEntity } from '../clients/client.entity.js';
import { redirectUriProblem } from '../clients/redirect-uri.js';
import { InvalidClientMetadata, InvalidRedirectUriMetadata } from '../common/errors/oauth-error.js';
import type { SigningAlg } from '../keys/signing-key.entity.js';

/**
 * OpenID Connect client metadata (OIDC Registration §2, RP-Initiated Logout §3.1, Back-Channel
 * Logout §2.2), kept in the client's metadata JSON with the RFC 7591 informational fields.
 */
export interface OidcClientMetadata {
  post_logout_redirect_uris?: string[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  id_token_signed_response_alg?: SigningAlg;
  userinfo_signed_response_alg?: SigningAlg;
  default_max_age?: number;
  require_auth_time?: boolean;
}

export const OIDC_METADATA_KEYS = [
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'id_token_signed_response_alg',
  'userinfo_signed_response_alg',
  'default_max_age',
  'require_auth_time',
] as const satisfies readonly (keyof OidcClientMetadata)[];

export const MAX_POST_LOGOUT_REDIRECT_URIS = 20;

/** Validates the OIDC fields; URIs follow the redirect URI rules (R-OIDC-13). */
export function assertOidcClientMetadata(metadata: OidcClientMetadata, algs: readonly SigningAlg[]): void {
  const uris = metadata.post_logout_redirect_uris ?? [];
  if (uris.length > MAX_POST_LOGOUT_REDIRECT_URIS) {
    throw new InvalidClientMetadata(
      `post_logout_redirect_uris: at most ${MAX_POST_LOGOUT_REDIRECT_URIS} URIs`,
    );
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) {
      throw new InvalidRedirectUriMetadata(`post_logout_redirect_uris: "${uri.slice(0, 200)}" ${problem}`);
    }
  }
  const backchannel = metadata.backchannel_logout_uri;
  if (backchannel !== undefined) {
    const problem =
      redirectUriProblem(backchannel) ?? (/^https?:\/\//.test(backchannel) ? null : 'must be http(s)');
    if (problem) {
      throw new InvalidClientMetadata(`backchannel_logout_uri: "${backchannel.slice(0, 200)}" ${problem}`);
    }
  }
  for (const field of ['id_token_signed_response_alg', 'userinfo_signed_response_alg'] as const) {
    const alg = metadata[field];
    if (alg !== undefined && !algs.includes(alg)) {
      throw new InvalidClientMetadata(`${field}: "${String(alg)}" is not supported (${algs.join(', ')})`);
    }
  }
}

/** The algorithm of this client's ID tokens: its registration, else ES256 (else RS256). */
export function idTokenAlgOf(client: ClientEntity, algs: readonly SigningAlg[]): SigningAlg {
  const registered = (client.metadata as OidcClientMetadata).id_token_signed_response_alg;
  if (registered && algs.includes(registered)) {
    return registered;
  }
  return algs.includes('ES256') ? 'ES256' : 'RS256';
}

export const oidcMetadataOf = (client: ClientEntity): OidcClientMetadata => client.metadata;
