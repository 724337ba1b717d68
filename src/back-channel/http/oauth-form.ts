import type { FastifyRequest } from 'fastify';
import { InvalidRequest, OAuthError } from '../../common/errors/oauth-error.js';

const FORM = 'application/x-www-form-urlencoded';
/** Longest single parameter value accepted (tokens, assertions); longer → invalid_request. */
const MAX_VALUE_LENGTH = 16_384;

/** The form parameters of an OAuth POST endpoint after the shared checks. */
export interface OAuthForm {
  /** One non-empty value, or undefined when absent or empty (RFC 6749 §3.1, R-TOK-4). */
  get(name: string): string | undefined;
  /** Every non-empty value of a parameter that may repeat (RFC 8707 `resource`). */
  all(name: string): string[];
}

/**
 * RFC 6749 §3.2 / Appendix B: the body must be form-url-encoded (R-TOK-2); Fastify has already
 * decoded it, giving an array for a repeated name. A repeated parameter that the endpoint reads
 * is invalid_request (R-TOK-4), except those in `repeatable`; unknown ones are ignored (R-TOK-3).
 * Credentials in the query string are never read (R-CAUTH-2).
 */
export function readOAuthForm(
  request: FastifyRequest,
  known: Iterable<string>,
  repeatable: ReadonlySet<string> = new Set(),
): OAuthForm {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== FORM) {
    throw new InvalidRequest(`content type must be ${FORM}`);
  }
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
    string,
    unknown
  >;
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  for (const name of known) {
    const raw = Object.hasOwn(body, name) ? body[name] : undefined;
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    if (values.some((v) => v.length > MAX_VALUE_LENGTH)) {
      throw new InvalidRequest(`'${name}' is too long`);
    }
    if (repeatable.has(name)) {
      multi.set(name, values);
    } else if (Array.isArray(raw) && raw.length > 1) {
      throw new InvalidRequest(`'${name}' parameter must not be provided more than once`);
    } else if (values[0] !== undefined) {
      single.set(name, values[0]);
    }
  }
  return {
    get: (name) => single.get(name),
    all: (name) => multi.get(name) ?? [],
  };
}

/** R-TOK-1: the OAuth POST endpoints answer other methods with 405 and `Allow: POST`. */
export class MethodNotAllowed extends OAuthError {
  constructor() {
    super(405, 'invalid_request', 'method not allowed, use POST');
    this.withHeader('Allow', 'POST');
  }
}
