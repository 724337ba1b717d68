/** The key a token request proved possession of (RFC 9449 §5): its JWK SHA-256 thumbprint. */
export interface DpopBinding {
  jkt: string;
}
