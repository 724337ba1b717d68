import { InvalidClientMetadata, InvalidRedirectUriMetadata } from '../common/errors/oauth-error.js';

export type ApplicationType = 'web' | 'native';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d{1,5})?([/?]|$)/;

/**
 * OpenID Connect Dynamic Registration §2 `application_type` (sent by MCP clients, R-MCP-14):
 * `web` clients redirect to https only; `native` clients to loopback http (any port, RFC 8252
 * §7.3), private-use reverse-domain schemes (§7.1) or claimed https URIs (§7.2). Omitted: the
 * general rules only (redirect-uri.ts), as before. Returns the type to store, if any.
 */
export function checkApplicationType(
  value: unknown,
  redirectUris: readonly string[],
): ApplicationType | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value !== 'web' && value !== 'native') {
    throw new InvalidClientMetadata('application_type must be web or native');
  }
  for (const uri of redirectUris) {
    const https = uri.toLowerCase().startsWith('https://');
    if (value === 'web' && !https) {
      throw new InvalidRedirectUriMetadata(
        `redirect_uris: '${uri.slice(0, 200)}' must use https for application_type web (use native for loopback or custom schemes)`,
      );
    }
    if (value === 'native' && !https && !LOOPBACK.test(uri) && /^https?:/i.test(uri)) {
      throw new InvalidRedirectUriMetadata(
        `redirect_uris: '${uri.slice(0, 200)}' is neither loopback http, a private-use scheme nor https`,
      );
    }
  }
  return value;
}
