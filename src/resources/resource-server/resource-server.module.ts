import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { BearerStrategy, RESOURCE_SERVER_STRATEGY } from './bearer.strategy.js';
import { DpopRequestVerifier } from './dpop-request.verifier.js';
import { createMetadataController } from './protected-resource-metadata.controller.js';
import { ResourceServerExceptionFilter } from './resource-server-exception.filter.js';
import { ResourceServerGuard } from './resource-server.guard.js';
import {
  metadataPathFor,
  RESOURCE_SERVER_OPTIONS,
  ResourceServerConfigError,
  type ResolvedResourceServerOptions,
  resolveOptions,
  type ResourceServerAsyncOptions,
  type ResourceServerModuleOptions,
  type ResourceServerOptions,
} from './resource-server.options.js';

let instances = 0;

/**
 * Bearer-token protection for a NestJS app, talking to the authorization server over HTTP
 * only (metadata → jwks_uri / introspection_endpoint). Self-contained: it imports nothing
 * from Tessera, so it can be published as a package.
 */
@Module({})
export class ResourceServerModule {
  static forRoot(options: ResourceServerOptions & ResourceServerModuleOptions): DynamicModule {
    const resolved = resolveOptions(options);
    return ResourceServerModule.build(options.global, resolved.resourceMetadataPath, {
      provide: RESOURCE_SERVER_OPTIONS,
      useValue: resolved,
    });
  }

  static forRootAsync(options: ResourceServerAsyncOptions): DynamicModule {
    const path = options.resourceMetadataPath ?? metadataPathFor(new URL('http://x/'));
    const module = ResourceServerModule.build(options.global, path, {
      provide: RESOURCE_SERVER_OPTIONS,
      inject: options.inject ?? [],
      useFactory: async (...args: never[]) => {
        const resolved = resolveOptions(await options.useFactory(...args));
        if (resolved.resourceMetadataPath !== path) {
          throw new ResourceServerConfigError(
            `ResourceServerModule: metadata is served at ${path} but the resource's metadata path is ${resolved.resourceMetadataPath}; set resourceMetadataPath`,
          );
        }
        return resolved;
      },
    });
    return { ...module, imports: options.imports ?? [] };
  }

  private static build(global = true, metadataPath: string, optionsProvider: Provider): DynamicModule {
    const strategyName = `resource-server-bearer-${++instances}`;
    const globalProviders: Provider[] = global
      ? [
          { provide: APP_GUARD, useExisting: ResourceServerGuard },
          { provide: APP_FILTER, useClass: ResourceServerExceptionFilter },
        ]
      : [];
    return {
      module: ResourceServerModule,
      controllers: [createMetadataController(metadataPath)],
      providers: [
        optionsProvider,
        { provide: RESOURCE_SERVER_STRATEGY, useValue: strategyName },
        AccessTokenVerifier,
        {
          provide: DpopRequestVerifier,
          inject: [RESOURCE_SERVER_OPTIONS],
          useFactory: (options: ResolvedResourceServerOptions) =>
            options.dpop ? new DpopRequestVerifier(options.dpop, options.audience) : null,
        },
        BearerStrategy,
        ResourceServerGuard,
        ResourceServerExceptionFilter,
        ...globalProviders,
      ],
      exports: [
        RESOURCE_SERVER_OPTIONS,
        RESOURCE_SERVER_STRATEGY,
        AccessTokenVerifier,
        DpopRequestVerifier,
        ResourceServerGuard,
        ResourceServerExceptionFilter,
      ],
    };
  }
}
