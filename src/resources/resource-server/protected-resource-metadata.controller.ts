import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from './decorators.js';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options.js';

/** RFC 9728 §2 protected resource metadata (R-RS-12). */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
}

export function protectedResourceMetadata(options: ResolvedResourceServerOptions): ProtectedResourceMetadata {
  return {
    resource: options.audience,
    authorization_servers: [options.issuer],
    bearer_methods_supported: options.allowFormBody ? ['header', 'body'] : ['header'],
    ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
    ...(options.resourceName ? { resource_name: options.resourceName } : {}),
  };
}

/** Created per module with the metadata path (RFC 9728 §3.1: well-known inserted before the resource's path). */
export function createMetadataController(
  path: string,
): new (options: ResolvedResourceServerOptions) => object {
  @Public()
  @Controller()
  class ProtectedResourceMetadataController {
    constructor(@Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions) {}

    @Get(path)
    @Header('Cache-Control', 'public, max-age=3600')
    metadata(): ProtectedResourceMetadata {
      return protectedResourceMetadata(this.options);
    }
  }
  return ProtectedResourceMetadataController;
}
