/**
 * The redirect that carries an authorization response (RFC 6749 §4.1.2, §4.1.2.1): parameters
 * appended to the redirect URI's query, keeping its own query (R-AUTHZ-8), plus `iss`
 * (RFC 9207 §2, R-AUTHZ-10) on success and error alike. URLSearchParams URL-encodes
 * everything reflected (R-SEC-3).
 */
export function authorizationResponseUrl(
  redirectUri: string,
  params: Record<string, string | undefined>,
  issuer: string,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries({ ...params, iss: issuer })) {
    if (value !== undefined) {
      url.searchParams.append(name, value);
    }
  }
  return url.toString();
}
