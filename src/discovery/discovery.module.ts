import { Module } from '@nestjs/common';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { DiscoveryController } from './discovery.controller.js';

/** Public metadata documents (RFC 8414, OpenID Connect discovery). */
@Module({ imports: [ResourceRegistryModule], controllers: [DiscoveryController] })
export class DiscoveryModule {}
