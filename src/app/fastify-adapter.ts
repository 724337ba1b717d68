import { randomUUID } from 'node:crypto';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config.js';
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

/**
 * Fastify with bounded input: body limit (413 above), header size, parameter length, and a
 * request id on every request; a request rejected before routing (400/408/431) is answered with
 * a lingering close (lingering-client-error.ts). Repeated query/body parameters arrive as arrays, which the
 * OAuth endpoints reject as duplicates.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.env.BODY_LIMIT,
    trustProxy: trustProxy(config.env.TRUST_PROXY),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    clientErrorHandler: lingeringClientErrorHandler,
  });
}
