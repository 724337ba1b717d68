/** What a valid access token says about the request, attached to the request by the guard. */
export interface TokenPrincipal {
  /** `sub`: the resource owner, or the client for client_credentials (RFC 9068 §2.2). */
  sub: string;
  clientId?: string;
  scopes: string[];
  /** Every claim of the JWT, or every member of the introspection response. */
  claims: Readonly<Record<string, unknown>>;
  /** How the token was validated. */
  via: 'jwt' | 'introspection';
  /** Set when the token is DPoP-bound and the request proved its key (RFC 9449 §7). */
  dpop?: { jkt: string };
}

/** The `cnf.jkt` of a token's claims (RFC 9449 §6), or undefined. */
export function cnfJkt(claims: Readonly<Record<string, unknown>>): string | undefined {
  const cnf = claims.cnf;
  if (typeof cnf !== 'object' || cnf === null) {
    return undefined;
  }
  const jkt = (cnf as { jkt?: unknown }).jkt;
  return typeof jkt === 'string' ? jkt : undefined;
}

/** The request property the guard fills (like Passport's `req.user`). */
export const TOKEN_PRINCIPAL_PROPERTY = 'tokenPrincipal';

export function scopesOf(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
