import type { DpopBinding } from '../../dpop/dpop-binding.js';
import type { ClientEntity } from '../../clients/client.entity.js';

/** RFC 8693 §4.1 actor claim: who acts for the subject; a nested `act` is the prior actor. */
export interface ActClaim {
  sub: string;
  client_id?: string;
  iss?: string;
  act?: ActClaim;
}

/** What an access token says (RFC 9068 §2.2). */
export interface AccessTokenGrant {
  /** Resource owner id, or the client id for client_credentials (RFC 9068 §2.2). */
  sub: string;
  scope: string;
  /** One audience per token (R-AT-9). */
  audience: string;
  /** The grant / refresh-token family the token came from, so revoking the grant revokes it. */
  grantId?: string;
  authTime?: number;
  /** The audience's registered format (resource registry); else the client's. */
  format?: 'jwt' | 'opaque' | null;
  /** The audience's registered lifetime in seconds; a client's own shorter lifetime wins. */
  ttl?: number | null;
  /** Token exchange (delegation): the acting party. */
  act?: ActClaim;
  /** The token request's DPoP binding (RFC 9449 §6): cnf.jkt and token type DPoP. */
  dpop?: DpopBinding;
}

export interface IssuedAccessToken {
  token: string;
  /** DPoP when the token request proved a key (RFC 9449 §5, R-DPOP-6). */
  tokenType: 'Bearer' | 'DPoP';
  expiresIn: number;
  jti: string;
}

/** RFC 7662 §2.2 claims of an active access token. */
export interface ActiveAccessToken {
  jti: string;
  clientId: string;
  sub: string;
  scope: string;
  aud: string;
  iss: string;
  exp: number;
  iat: number;
  grantId?: string;
  act?: ActClaim;
  format: 'jwt' | 'opaque';
  /** RFC 9449 §6: the DPoP key the token is bound to (R-DPOP-6). */
  cnf?: { jkt: string };
}

/**
 * Issues and checks access tokens: RFC 9068 JWTs signed with the active key (default) or
 * opaque tokens kept hashed in the short-lived store, per client. With `grant.dpop`, issue()
 * binds the token to the proof's key: cnf.jkt, token type DPoP. Implemented in this folder.
 */
export abstract class AccessTokenService {
  abstract issue(client: ClientEntity, grant: AccessTokenGrant): Promise<IssuedAccessToken>;
  /** The token's claims when it is valid, unexpired and not revoked; null otherwise. */
  abstract inspect(token: string): Promise<ActiveAccessToken | null>;
  /** Revokes one access token (opaque: deleted; JWT: jti on the revocation list until exp). */
  abstract revoke(token: ActiveAccessToken): Promise<void>;
  /** Revokes every access token of a grant in O(1) (a grant marker kept for the longest TTL). */
  abstract revokeGrant(grantId: string): Promise<void>;
  /**
   * Revokes every access token issued to `sub` until now (a marker kept for the longest TTL):
   * an owner disabled or whose password was reset (issue 16 M2).
   */
  abstract revokeSubject(sub: string): Promise<void>;
}
