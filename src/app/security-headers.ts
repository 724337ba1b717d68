import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for `options`, computed once. Our options are static (no CSP nonces,
 * no per-request directive functions), so every response gets the same set; running helmet's
 * middleware per request (as @fastify/helmet does) re-parsed the CSP on the hot path.
 */
export function staticSecurityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: Error | undefined;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error === undefined || error instanceof Error ? error : new Error('helmet refused the options');
  });
  if (failure) {
    throw failure;
  }
  return Object.freeze(headers);
}
