import { HttpException } from '@nestjs/common';
import { StoreUnavailableError } from '../../store/short-lived-store.js';
import { Conflict, InvalidRequest, NotFound, OAuthError, TemporarilyUnavailable } from './oauth-error.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|not queryable|database system is (starting|shutting) up|The database connection is not open|Query read timeout/i;
const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
/**
 * PostgreSQL SQLSTATE class 22 (data exception): a value taken from the request cannot be stored
 * or compared, e.g. U+0000 in a path parameter (22021), a string longer than its column (22001).
 * SQLite accepts these values, so only PostgreSQL raises them. Found by the reliability fuzzer.
 */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  driverError?: ErrorLike;
  cause?: unknown;
}

function codeOf(err: ErrorLike): string | undefined {
  const code = err.code ?? err.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when an error means a backing store (database or Redis) could not be reached. */
export function isOutage(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) {
    return true;
  }
  if (typeof err !== 'object' || err === null) {
    return false;
  }
  const e = err as ErrorLike;
  const code = codeOf(e);
  if (
    (code && (CONNECTION_CODES.has(code) || code.startsWith('08'))) ||
    CONNECTION_MESSAGES.test(String(e.message))
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== err && isOutage(e.cause);
}

const FASTIFY_STATUS_TEXT: Record<number, string> = {
  400: 'malformed request',
  404: 'not found',
  405: 'method not allowed',
  413: 'request body too large',
  415: 'unsupported content type',
  431: 'request headers too large',
};

/**
 * Maps anything thrown to an OAuthError, or undefined for a genuine server fault.
 * Framework errors (Nest HttpException, Fastify body-parser errors) become client errors;
 * outages become 503; unique-key violations become 409.
 */
export function toOAuthError(err: unknown): OAuthError | undefined {
  if (err instanceof OAuthError) {
    return err;
  }
  if (isOutage(err)) {
    return new TemporarilyUnavailable();
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String(response.message)
        : err.message;
    if (status === 404) {
      return new NotFound('not found');
    }
    if (status === 429) {
      return new OAuthError(429, 'too_many_requests', 'too many requests, retry later');
    }
    if (status < 500) {
      return new OAuthError(status, status === 401 ? 'unauthorized' : 'invalid_request', message);
    }
    return undefined;
  }
  const e = err as ErrorLike;
  if (typeof e === 'object' && e !== null) {
    const code = codeOf(e);
    if (code && UNIQUE_CODES.has(code)) {
      return new Conflict('a resource with the same unique value already exists');
    }
    if (code && DATA_EXCEPTION.test(code) && e.driverError !== undefined) {
      return new InvalidRequest('a value in the request is not acceptable');
    }
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (status && status >= 400 && status < 500) {
      const description = FASTIFY_STATUS_TEXT[status] ?? 'malformed request';
      return status === 400
        ? new InvalidRequest(description)
        : new OAuthError(status, 'invalid_request', description);
    }
  }
  return undefined;
}
