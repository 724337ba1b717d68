import { ArgumentsHost, Catch, ExceptionFilter, Logger, Optional } from '@nestjs/common';
import { isBrowserRoute, sendClientError } from '../../app/framework-errors.js';
import { AppConfig } from '../../config/app-config.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toOAuthError } from './error-classification.js';

/**
 * The one place that writes errors: `{error, error_description}` JSON with no-store, plus the
 * error's own headers (WWW-Authenticate, Retry-After). Server faults become a generic
 * `server_error` carrying the request id; details go to the log only, never to the client.
 * On browser routes (/authorize, /login, /consent, /account, /device) an error raised before their own
 * page filter (body parsing, content type, body size: issue 16 L8) is the HTML error page.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Optional: an app without Tessera's configuration (e.g. an embedding service) gets JSON only. */
  constructor(@Optional() private readonly config?: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const error = toOAuthError(exception);
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    if (!error) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`request ${request.id} failed: ${err.name}: ${err.message}`, err.stack);
      if (this.config && isBrowserRoute(request.url)) {
        sendClientError(this.config, request, reply, 500, 'server_error', '');
        return;
      }
      void reply.status(500).send({
        error: 'server_error',
        error_description: `internal error (request id ${request.id})`,
      });
      return;
    }
    if (error.status >= 500) {
      this.logger.warn(`request ${request.id}: ${error.error}: ${error.detail ?? error.description ?? ''}`);
    } else if (error.detail) {
      this.logger.debug(`request ${request.id}: ${error.error}: ${error.detail}`);
    }
    for (const [name, value] of Object.entries(error.headers)) {
      reply.header(name, value);
    }
    if (this.config && isBrowserRoute(request.url)) {
      sendClientError(this.config, request, reply, error.status, error.error, error.description ?? '');
      return;
    }
    const body: Record<string, string> = { error: error.error };
    if (error.description) {
      body.error_description = error.description;
    }
    void reply.status(error.status).send(body);
  }
}
