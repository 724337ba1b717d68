import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientIdMetadataModule } from '../client-id-metadata/client-id-metadata.module.js';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { ClientEntity } from './client.entity.js';
import { ClientRegistry } from './client-registry.js';
import { ClientsService } from './clients.service.js';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';

/** Client storage, the cached registry and the write service; no controllers (admin ones live in ClientsAdminModule). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ClientEntity]),
    RefreshTokensModule,
    ResourceRegistryModule,
    ClientIdMetadataModule,
  ],
  providers: [ClientRegistry, ClientsService],
  exports: [ClientRegistry, ClientsService, TypeOrmModule],
})
export class ClientsModule {}
