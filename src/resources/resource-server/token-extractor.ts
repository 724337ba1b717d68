import { ResourceServerError } from './resource-server.error.js';

/** RFC 7235 token68, the only syntax a bearer credential may use (OAuth 2.1 §5.1.1). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The parts of an Express or Fastify request the extractor reads. */
export interface BearerRequestLike {
  method?: string;
  /** Path and query as received (Fastify, Node); Express keeps the mounted path in originalUrl. */
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Fastify keeps Node's request here; Express is the Node request itself. */
  raw?: { rawHeaders?: string[] };
  rawHeaders?: string[];
}

export interface ExtractOptions {
  allowFormBody: boolean;
  maxTokenLength: number;
  /** Accept `Authorization: DPoP <token>` (RFC 9449 §7.1). */
  acceptDpop?: boolean;
}

export interface PresentedToken {
  token: string;
  scheme: 'Bearer' | 'DPoP';
}

/** Node keeps only the first of duplicated Authorization headers: count them in rawHeaders. */
function authorizationHeaders(req: BearerRequestLike): string[] {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders;
  if (!raw) {
    const value = req.headers.authorization;
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') {
      values.push(raw[i + 1] ?? '');
    }
  }
  return values;
}

function fromHeader(req: BearerRequestLike, acceptDpop = false): PresentedToken | undefined {
  const values = authorizationHeaders(req);
  if (values.length > 1) {
    throw ResourceServerError.invalidRequest('more than one Authorization header');
  }
  const value = values[0]?.trim();
  if (!value) {
    return undefined;
  }
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const lower = scheme.toLowerCase();
  const dpop = acceptDpop && lower === 'dpop';
  if (lower !== 'bearer' && !dpop) {
    return undefined; // another scheme carries no bearer token (RFC 6750 §3.1)
  }
  const credentials = space === -1 ? '' : value.slice(space + 1).trim();
  if (!TOKEN68.test(credentials)) {
    const error = ResourceServerError.invalidRequest(
      `the Authorization header is not "${dpop ? 'DPoP' : 'Bearer'} <token68>"`,
    );
    throw dpop ? error.inScheme('DPoP') : error;
  }
  return { token: credentials, scheme: dpop ? 'DPoP' : 'Bearer' };
}

/** OAuth 2.1 §5.1.2: only single-part urlencoded bodies of methods that define one. */
function fromBody(req: BearerRequestLike): string | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (method === 'GET' || method === 'HEAD' || !type.startsWith('application/x-www-form-urlencoded')) {
    return undefined;
  }
  const body = req.body;
  if (typeof body !== 'object' || body === null || !('access_token' in body)) {
    return undefined;
  }
  const value = body.access_token;
  if (typeof value !== 'string' || !TOKEN68.test(value)) {
    throw ResourceServerError.invalidRequest('access_token must appear once, in token68 syntax');
  }
  return value;
}

/**
 * The request's bearer token, or undefined when it carries none. The query string is never
 * read (OAuth 2.1 §5.1, R-RS-6); the body only when enabled (R-RS-5); a token presented
 * twice or malformed is invalid_request (R-RS-7).
 */
export function extractBearerToken(req: BearerRequestLike, options: ExtractOptions): string | undefined {
  return extractAccessToken(req, { ...options, acceptDpop: false })?.token;
}

/** Like extractBearerToken, also accepting the DPoP scheme when enabled; says which scheme came. */
export function extractAccessToken(
  req: BearerRequestLike,
  options: ExtractOptions,
): PresentedToken | undefined {
  const presented = fromHeader(req, options.acceptDpop);
  const header = presented?.token;
  const body = options.allowFormBody ? fromBody(req) : undefined;
  if (header !== undefined && body !== undefined) {
    throw ResourceServerError.invalidRequest('the access token was sent by more than one method');
  }
  const token = header ?? body;
  if (token === undefined) {
    return undefined;
  }
  if (token.length > options.maxTokenLength) {
    throw ResourceServerError.invalidToken('the access token is too long').inScheme(
      presented?.scheme ?? 'Bearer',
    );
  }
  return { token, scheme: presented?.scheme ?? 'Bearer' };
}
