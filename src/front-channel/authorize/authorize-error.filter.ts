import { ArgumentsHost, Catch, Injectable, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toOAuthError } from '../../common/errors/error-classification.js';
import { AppConfig } from '../../config/app-config.js';
import { PageRenderer } from '../../pages/page-renderer.service.js';
import { authorizationResponseUrl } from './authorization-response.js';
import { redirectStatus } from './authorize-flow.service.js';
import { redirectTargetOf } from './authorize-target.js';

/** A form that must be shown again with a message (failed login, rate limit). */
export class FormPageError extends Error {
  constructor(readonly render: (reply: FastifyReply) => FastifyReply) {
    super('form error');
  }
}

/**
 * Errors of the authorization endpoint and the login/consent pages
 * (node-oidc-provider authorization_error_handler): once the redirect URI is verified, they go
 * back to the client by redirect with error, error_description, state and iss (R-AUTHZ-8..10);
 * before that, or when unsafe, a page (R-AUTHZ-7). A store outage is temporarily_unavailable.
 */
@Catch()
@Injectable()
export class AuthorizeErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Authorize');

  constructor(
    private readonly config: AppConfig,
    private readonly pages: PageRenderer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (exception instanceof FormPageError) {
      exception.render(reply);
      return;
    }
    const error = toOAuthError(exception);
    if (!error) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`request ${request.id} failed: ${err.name}: ${err.message}`, err.stack);
    } else if (error.status >= 500) {
      this.logger.warn(`request ${request.id}: ${error.error}: ${error.detail ?? error.description ?? ''}`);
    }
    const target = redirectTargetOf(request);
    if (target && (error?.allowRedirect ?? true)) {
      const location = authorizationResponseUrl(
        target.redirectUri,
        {
          error: error?.error ?? 'server_error',
          error_description: error?.description ?? `internal error (request id ${request.id})`,
          state: target.state,
        },
        this.config.issuer,
      );
      void reply.header('Cache-Control', 'no-store').redirect(location, redirectStatus(request));
      return;
    }
    for (const [name, value] of Object.entries(error?.headers ?? {})) {
      void reply.header(name, value);
    }
    this.pages.error(
      reply,
      error?.status ?? 500,
      error?.description ?? `Something went wrong (request id ${request.id}).`,
      error?.error ?? 'server_error',
    );
  }
}
