import { Module } from '@nestjs/common';
import { OutboundModule } from '../outbound/outbound.module.js';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { ClientIdMetadataResolver } from './client-id-metadata.resolver.js';

/** Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; docs/mcp.md). */
@Module({
  imports: [OutboundModule, ResourceRegistryModule],
  providers: [ClientIdMetadataResolver],
  exports: [ClientIdMetadataResolver],
})
export class ClientIdMetadataModule {}
