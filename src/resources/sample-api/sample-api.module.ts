import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { OwnersModule } from '../../owners/owners.module.js';
import { metadataPathFor, ResourceServerModule } from '../resource-server/index.js';
import { ActiveOwnerGuard } from './active-owner.guard.js';
import { ResourceRegistryModule } from '../registry/resource-registry.module.js';
import { ResourcesService } from '../registry/resources.service.js';
import { inProcessFetch } from './in-process-fetch.js';
import { SampleApiResource } from './sample-api.resource.js';
import { MeController } from './me.controller.js';
import { NoteEntity } from './notes/note.entity.js';
import { NotesController } from './notes/notes.controller.js';
import { NotesService } from './notes/notes.service.js';

/** The sample API's resource identifier: SAMPLE_API_AUDIENCE, else `${issuer}/api`. */
export const sampleApiAudience = (config: AppConfig): string =>
  config.env.SAMPLE_API_AUDIENCE ?? `${config.issuer}/api`;

/**
 * A protected API served by Tessera itself, built on ResourceServerModule exactly as an
 * outside NestJS service would be: tokens are checked against the issuer's metadata and
 * JWKS over HTTP semantics (in-process injection for the issuer's own origin). The guard is
 * not global (global: false), so it covers only the @Protected() controllers below, never
 * the OAuth endpoints of the same app.
 */
@Module({})
export class SampleApiModule {
  static register(config: AppConfig): DynamicModule {
    const audience = sampleApiAudience(config);
    const { SAMPLE_API_CLIENT_ID: clientId, SAMPLE_API_CLIENT_SECRET: clientSecret } = config.env;
    return {
      module: SampleApiModule,
      imports: [
        TypeOrmModule.forFeature([NoteEntity]),
        OwnersModule,
        ResourceRegistryModule,
        ResourceServerModule.forRootAsync({
          global: false,
          resourceMetadataPath: metadataPathFor(new URL(audience)),
          inject: [HttpAdapterHost],
          useFactory: (adapterHost: HttpAdapterHost) => ({
            issuer: config.issuer,
            audience,
            resourceName: 'Tessera sample API',
            scopesSupported: ['profile', 'email', 'notes:read', 'notes:write'],
            fetch: inProcessFetch(adapterHost, config.issuer),
            // Same process, same clock as the issuer: no leeway needed on exp/nbf.
            clockToleranceSeconds: 0,
            // A JWKS refetch is an in-process call here: allow one per second for unknown kids.
            jwksCooldownSeconds: 1,
            // Opaque tokens need introspection credentials; JWTs are always checked locally.
            ...(clientId && clientSecret
              ? { mode: 'auto' as const, introspection: { clientId, clientSecret } }
              : { mode: 'jwt' as const }),
          }),
        }),
      ],
      controllers: [MeController, NotesController],
      providers: [
        NotesService,
        ActiveOwnerGuard,
        {
          provide: SampleApiResource,
          inject: [ResourcesService],
          useFactory: (resources: ResourcesService) => new SampleApiResource(resources, config, audience),
        },
      ],
    };
  }
}
