import { randomUUID } from 'node:crypto';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { securityHeadersFor, type Surface } from './configure-app.js';
import { sendClientError } from './framework-errors.js';
import { lingeringClientErrorHandler } from './lingering-client-error.js';

function trustProxy(value: string | undefined): boolean | string[] {
  if (!value) {
    return false;
  }
  if (value === 'true') {
    return true;
  }
  return value.split(',').map((s) => s.trim());
}

/** An incoming X-Request-Id of safe characters is kept (to correlate with a proxy's logs); else a UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Fastify with bounded input: body limit (413 above), header size, parameter length, and a
 * request id on every request; a request rejected before routing (400/408/431) is answered with
 * a lingering close (lingering-client-error.ts); router errors (bad URL) go through sendClientError. Repeated query/body parameters arrive as arrays, which the
 * OAuth endpoints reject as duplicates.
 */
export function createFastifyAdapter(config: AppConfig, surface: Surface = 'public'): FastifyAdapter {
  const securityHeaders = securityHeadersFor(config, surface);
  return new FastifyAdapter({
    // The router answers a malformed URL or an over-long parameter before any hook runs
    // (issue 16 L8): security headers, and nothing from the request echoed back.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.headers(securityHeaders).header('X-Request-Id', request.id);
      const status = error.statusCode === 414 ? 414 : 400;
      sendClientError(config, request, reply, status, 'invalid_request', 'malformed request URL');
    },
    bodyLimit: config.env.BODY_LIMIT,
    trustProxy: trustProxy(config.env.TRUST_PROXY),
    genReqId: requestId,
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    clientErrorHandler: lingeringClientErrorHandler,
  });
}
