import cookie from '@fastify/cookie';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config.js';
import { addHttpMetrics } from '../metrics/http-metrics.hook.js';
import { Metrics } from '../metrics/metrics.js';
import { cookieSecret } from '../sessions/cookie-secret.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../common/http/json-depth.js';
import { InvalidRequest } from '../common/errors/oauth-error.js';
import { registerPublicCors } from '../common/http/cors-public.js';
import { staticSecurityHeaders } from './security-headers.js';

export type Surface = 'public' | 'admin';

/** LOG_LEVEL values at which the access log (Nest `log` level) is written. */
const ACCESS_LOG_LEVELS = new Set(['info', 'debug']);

/**
 * Everything main.ts and the tests both apply to a Nest app: security headers, cookies,
 * request ids and access logs. Body parsing (JSON and urlencoded) is Fastify's own.
 */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  surface: Surface,
): Promise<void> {
  const securityHeaders = securityHeadersFor(config, surface);
  if (surface === 'public') {
    // Signs the owner-session and browser-binding cookies (src/sessions/).
    await app.register(cookie, { secret: cookieSecret(config) });
  }

  const fastify = app.getHttpAdapter().getInstance();
  const logger = new Logger(surface === 'public' ? 'Http' : 'AdminHttp');
  // One hook, fixed values: this runs on every request, the token endpoint included.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders).header('X-Request-Id', request.id);
    done();
  });
  if (surface === 'public') {
    registerPublicCors(fastify, config.env.CORS_ORIGINS);
  }
  // Issue 16 L6: JSON nested deeper than MAX_JSON_DEPTH is refused (400) before any validation
  // (class-transformer recurses per level). Form bodies are flat: the token endpoint skips this.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (
      typeof request.body === 'object' &&
      request.body !== null &&
      (request.headers['content-type'] ?? '').includes('json') &&
      exceedsJsonDepth(request.body)
    ) {
      done(new InvalidRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      return;
    }
    done();
  });
  app.enableShutdownHooks();
  if (config.env.METRICS_ENABLED) {
    addHttpMetrics(fastify, app.get(Metrics), surface);
  }
  if (!ACCESS_LOG_LEVELS.has(config.env.LOG_LEVEL)) {
    return; // no access-log hook at all when its level is off
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    // Route template and path only: query strings can carry state or codes. Headers and bodies are never logged.
    logger.log({
      msg: 'request',
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? null,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      latencyMs: Math.round(reply.elapsedTime * 10) / 10,
    });
    done();
  });
}

/** The static security headers of a listener (also written on router-level errors). */
export function securityHeadersFor(config: AppConfig, surface: Surface): Readonly<Record<string, string>> {
  const https = config.issuer.startsWith('https://');
  return staticSecurityHeaders({
    // Pages are server-rendered with no third-party resources (RFC 9700 §4.2.4).
    contentSecurityPolicy:
      surface === 'admin'
        ? false // the OpenAPI UI needs inline scripts; the admin listener is private
        : {
            useDefaults: false,
            directives: {
              defaultSrc: ["'none'"],
              styleSrc: ["'self'", "'unsafe-inline'"],
              imgSrc: ["'self'", 'https:', 'data:'],
              formAction: ["'self'"],
              frameAncestors: ["'none'"],
              baseUri: ["'none'"],
            },
          },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: false,
  });
}
