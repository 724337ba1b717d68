import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RefreshTokensModule } from '../../tokens/refresh-tokens/refresh-tokens.module.js';
import { RefreshTokenFamilyEntity } from '../../tokens/refresh-tokens/refresh-token-family.entity.js';
import { AudiencePolicy } from './audience-policy.js';
import { ResourceEntity } from './resource.entity.js';
import { ResourceRegistry } from './resource-registry.js';
import { ResourcesService } from './resources.service.js';

/**
 * The resource registry: storage, the cached catalog (ResourceRegistry), the audience rules
 * (AudiencePolicy) and the write service. No controllers (ResourcesAdminModule has them).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ResourceEntity, RefreshTokenFamilyEntity]), RefreshTokensModule],
  providers: [ResourceRegistry, AudiencePolicy, ResourcesService],
  exports: [ResourceRegistry, AudiencePolicy, ResourcesService],
})
export class ResourceRegistryModule {}
