/**
 * Redirect URI rules: what may be registered (R-CLI-6..10, R-REG-5) and how a requested
 * `redirect_uri` is matched against the registered ones at /authorize (R-AUTHZ-5/6).
 *
 * Decision (R-CLI-10): `http://localhost[:port]` is accepted like the loopback IP literals,
 * and the any-port rule of RFC 8252 §7.3 covers it too, because MCP clients register
 * `http://localhost:{port}/callback`. The host must still match exactly (`localhost` does
 * not match `127.0.0.1`).
 */

export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Loopback hosts allowed over plain http (RFC 8252 §7.3, §8.3; R-CLI-10 decision). */
const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'] as const;

/**
 * `http://<loopback host>[:port]<rest>` where rest is empty or starts with `/` or `?`.
 * Captures: 1 host, 2 port (digits, may be absent), 3 rest.
 */
const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?([/?].*)?$/s;

/** RFC 3986 §3.1 scheme syntax. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** Why a redirect URI cannot be registered, or null when it can. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0 || uri.length > MAX_REDIRECT_URI_LENGTH) {
    return `must be 1 to ${MAX_REDIRECT_URI_LENGTH} characters`;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\x00-\x1f\x7f]/.test(uri)) {
    return 'must not contain whitespace or control characters';
  }
  // R-CLI-6: complete URIs only; no wildcard, prefix or pattern registrations.
  if (uri.includes('*')) {
    return 'must not contain wildcards';
  }
  // R-CLI-7: no fragment (an empty one included).
  if (uri.includes('#')) {
    return 'must not contain a fragment';
  }
  const scheme = SCHEME.exec(uri)?.[1];
  if (!scheme || !URL.canParse(uri)) {
    return 'must be an absolute URI';
  }
  const url = new URL(uri);
  if (url.username !== '' || url.password !== '') {
    return 'must not contain user credentials';
  }
  return schemeProblem(scheme, url, uri) ?? canonicalFormProblem(url, uri);
}

function schemeProblem(scheme: string, url: URL, uri: string): string | null {
  const lower = scheme.toLowerCase();
  if (lower === 'https') {
    return url.hostname === '' ? 'must name a host' : null;
  }
  if (lower === 'http') {
    // R-CLI-8: plain http only to the loopback interface.
    if (scheme !== 'http' || !LOOPBACK_HTTP.test(uri)) {
      return 'must use https (plain http is allowed only for http://127.0.0.1, http://[::1] or http://localhost)';
    }
    return null;
  }
  // R-CLI-9: native-app private-use schemes in reverse-domain form (com.example.app:/cb).
  if (!lower.includes('.')) {
    return `scheme "${scheme}" is not allowed (use https, loopback http, or a reverse-domain private-use scheme such as com.example.app)`;
  }
  return null;
}

/**
 * Issue 16 L9: the URI must read the way browsers parse it (`https://a.example\@evil.com/cb`
 * goes to a.example, `https:///cb` to host "cb"). Decision: only the "/" WHATWG adds to an
 * empty path is tolerated.
 */
function canonicalFormProblem(url: URL, uri: string): string | null {
  if (url.href === uri || (url.href === `${uri}/` && url.pathname === '/' && !uri.endsWith('/'))) {
    return null;
  }
  return 'must be written in its canonical form (as a browser parses it)';
}

export function isValidRedirectUri(uri: string): boolean {
  return redirectUriProblem(uri) === null;
}

/** Parts of a loopback http URI with the port removed, or null for any other URI. */
function loopbackWithoutPort(uri: string): { host: string; rest: string } | null {
  const match = LOOPBACK_HTTP.exec(uri);
  if (!match) {
    return null;
  }
  const [, host = '', port, rest = ''] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) {
    return null;
  }
  return LOOPBACK_HOSTS.includes(host as (typeof LOOPBACK_HOSTS)[number]) ? { host, rest } : null;
}

/**
 * True when `requested` may be used as the redirect URI of a client that registered
 * `registered`: simple string equality (R-AUTHZ-5: no case folding, normalisation, trailing
 * slash or prefix tolerance), except that for a registered loopback http URI any port is
 * accepted while scheme, host, path and query still match exactly (R-AUTHZ-6, RFC 8252 §7.3).
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) {
    return true;
  }
  const wanted = loopbackWithoutPort(requested);
  if (!wanted) {
    return false;
  }
  return registered.some((candidate) => {
    const allowed = loopbackWithoutPort(candidate);
    return allowed !== null && allowed.host === wanted.host && allowed.rest === wanted.rest;
  });
}
