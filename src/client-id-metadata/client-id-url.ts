/**
 * Which client_ids are Client ID Metadata Document URLs (draft-ietf-oauth-client-id-metadata-
 * document §3): an https URL with a path component, no fragment, no credentials, no dot
 * segments. Anything else is looked up in the clients table as before.
 */

/** Longest accepted client_id URL (the client_id columns hold 255 characters). */
export const MAX_CLIENT_ID_URL_LENGTH = 255;

/** True when `clientId` looks like a metadata document URL (it may still be refused later). */
export function looksLikeClientIdUrl(clientId: string): boolean {
  return clientId.startsWith('https://');
}

/** Why `clientId` cannot be a metadata document URL, or null when it can. */
export function clientIdUrlProblem(clientId: string): string | null {
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH) {
    return `client_id URL is longer than ${MAX_CLIENT_ID_URL_LENGTH} characters`;
  }
  if (!URL.canParse(clientId)) {
    return 'client_id is not a valid URL';
  }
  const url = new URL(clientId);
  if (url.protocol !== 'https:') {
    return 'client_id URL must use https';
  }
  if (url.username !== '' || url.password !== '') {
    return 'client_id URL must not contain credentials';
  }
  if (clientId.includes('#')) {
    return 'client_id URL must not contain a fragment';
  }
  if (url.pathname === '/' || url.pathname === '') {
    return 'client_id URL must have a path';
  }
  // The URL must be given in its normal form: "." / ".." segments would let two spellings
  // name one document (draft §3: MUST NOT contain single-dot or double-dot path segments).
  if (/\/\.{1,2}(\/|$|\?)/.test(clientId) || url.href !== clientId) {
    return 'client_id URL must be in normal form (no dot segments, lower-case host, no default port)';
  }
  return null;
}

/** Hostname matching for the allow/deny lists: exact, or ".example.com" for any subdomain. */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => (p.startsWith('.') ? h.endsWith(p) && h.length > p.length : h === p));
}

export function parseHostList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
