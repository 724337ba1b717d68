import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for the public listener's browser-facing, non-credentialed endpoints (R-META-12,
 * R-TOK-14, R-MCP-17): metadata documents and protected resource metadata (/.well-known/*),
 * /jwks, /token, /revoke, /register (and RFC 7592 /register/:id), and the sample API (/api/*),
 * its 401/403 challenges included (WWW-Authenticate is exposed). Origins: CORS_ORIGINS
 * (default `*`). Credentials are never allowed (no cookies are involved on these endpoints).
 * The pages (/authorize, /login, /consent, /account) and the admin listener never answer CORS.
 *
 * Preflights are answered here, before routing: 204 when the origin, method and headers are
 * allowed; otherwise a 400/403 JSON error naming what was refused, never a 5xx.
 */
const ROUTES: readonly { match: (path: string) => boolean; methods: readonly string[] }[] = [
  { match: (p) => p.startsWith('/.well-known/'), methods: ['GET'] },
  { match: (p) => p === '/jwks', methods: ['GET'] },
  { match: (p) => p === '/token' || p === '/revoke', methods: ['POST'] },
  { match: (p) => p === '/register', methods: ['POST'] },
  { match: (p) => p.startsWith('/register/'), methods: ['GET', 'PUT', 'DELETE'] },
  { match: (p) => p === '/api' || p.startsWith('/api/'), methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
];

/** Request headers a browser client may send (besides the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'accept',
  'accept-language',
  'authorization',
  'content-language',
  'content-type',
  'dpop',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'x-requested-with',
];
const EXPOSED = 'WWW-Authenticate, Retry-After, DPoP-Nonce, Mcp-Session-Id, Location';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** CORS_ORIGINS: `*`, or a comma-separated list of origins (scheme://host[:port]). */
export function parseCorsOrigins(value: string): '*' | Set<string> {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0 || items.includes('*')) {
    return '*';
  }
  return new Set(items.map((o) => o.replace(/\/$/, '').toLowerCase()));
}

function refuse(reply: FastifyReply, status: number, description: string): void {
  void reply
    .code(status)
    .header('Content-Type', 'application/json')
    .header('Cache-Control', 'no-store')
    .send(JSON.stringify({ error: 'invalid_request', error_description: description }));
}

/** Adds the CORS hook to the public listener's Fastify instance. */
export function registerPublicCors(fastify: FastifyInstance, corsOrigins: string): void {
  const origins = parseCorsOrigins(corsOrigins);
  const allowHeaders = CORS_ALLOWED_HEADERS.join(', ');
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const path = request.url.split('?')[0] ?? '';
    const route = ROUTES.find((r) => r.match(path));
    if (!route) {
      done();
      return;
    }
    const origin = request.headers.origin;
    const allowed = origins === '*' || (origin !== undefined && origins.has(origin.toLowerCase()));
    if (allowed) {
      void reply.header('Access-Control-Allow-Origin', origins === '*' ? '*' : (origin as string));
      void reply.header('Access-Control-Expose-Headers', EXPOSED);
    }
    if (origins !== '*') {
      void reply.header('Vary', 'Origin');
    }
    if (request.method !== 'OPTIONS') {
      done();
      return;
    }
    const methods = [...route.methods, 'OPTIONS'];
    const wanted = request.headers['access-control-request-method'];
    if (wanted === undefined) {
      void reply.code(204).header('Allow', methods.join(', ')).send(); // a plain OPTIONS
      return;
    }
    if (!allowed) {
      refuse(reply, 403, 'this origin is not allowed (CORS_ORIGINS)');
      return;
    }
    if (typeof wanted !== 'string' || !route.methods.includes(wanted)) {
      refuse(
        reply,
        400,
        `method ${String(wanted).slice(0, 32)} is not allowed here (allowed: ${route.methods.join(', ')})`,
      );
      return;
    }
    const requested = request.headers['access-control-request-headers'];
    const names =
      typeof requested === 'string'
        ? requested
            .split(',')
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean)
        : [];
    const bad = names.find((h) => !TOKEN.test(h) || !CORS_ALLOWED_HEADERS.includes(h));
    if (bad !== undefined || names.length > 32) {
      refuse(
        reply,
        400,
        `request header ${(bad ?? '').slice(0, 64)} is not allowed here (allowed: ${allowHeaders})`,
      );
      return;
    }
    void reply
      .code(204)
      .header('Access-Control-Allow-Methods', methods.join(', '))
      .header('Access-Control-Allow-Headers', allowHeaders)
      .header('Access-Control-Max-Age', '86400')
      .send();
  });
}
