import { Module } from '@nestjs/common';
import { ResourceRegistryModule } from './resource-registry.module.js';
import { ResourcesAdminController } from './resources-admin.controller.js';

/** Admin routes for resource servers; imported only by AdminAppModule. */
@Module({
  imports: [ResourceRegistryModule],
  controllers: [ResourcesAdminController],
})
export class ResourcesAdminModule {}
