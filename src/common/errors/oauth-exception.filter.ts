import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toOAuthError } from './error-classification.js';

/**
 * The one place that writes errors: `{error, error_description}` JSON with no-store, plus the
 * error's own headers (WWW-Authenticate, Retry-After). Server faults become a generic
 * `server_error` carrying the request id; details go to the log only, never to the client.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const error = toOAuthError(exception);
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    if (!error) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`request ${request.id} failed: ${err.name}: ${err.message}`, err.stack);
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
    const body: Record<string, string> = { error: error.error };
    if (error.description) {
      body.error_description = error.description;
    }
    void reply.status(error.status).send(body);
  }
}
