import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { bearerChallenge } from './challenge.js';
import { ResourceServerError } from './resource-server.error.js';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options.js';

/**
 * Writes ResourceServerErrors only (any other error goes to the app's own filters):
 * `{error, error_description}` JSON, no-store, and the RFC 6750 challenge. Adapter-neutral
 * (Express or Fastify) through the HttpAdapter.
 */
@Catch(ResourceServerError)
export class ResourceServerExceptionFilter implements ExceptionFilter<ResourceServerError> {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions,
  ) {}

  catch(error: ResourceServerError, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const challenge = bearerChallenge(
      error,
      this.options.realm,
      this.options.resourceMetadataUrl,
      this.options.dpop?.algorithms,
    );
    if (error.nonce) {
      adapter.setHeader(response, 'DPoP-Nonce', error.nonce);
    }
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    if (challenge) {
      adapter.setHeader(response, 'WWW-Authenticate', challenge);
    }
    if (error.getStatus() === 503) {
      adapter.setHeader(response, 'Retry-After', '1');
    }
    const body: Record<string, string> = {};
    if (error.code) {
      body.error = error.code;
      if (error.description) {
        body.error_description = error.description;
      }
    } else {
      body.error = 'unauthorized';
      body.error_description = 'an access token is required';
    }
    adapter.reply(response, body, error.getStatus());
  }
}
