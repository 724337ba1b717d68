import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../../back-channel/client-auth/client-auth.module.js';
import { ClientsModule } from '../../clients/clients.module.js';
import { DpopModule } from '../../dpop/dpop.module.js';
import { JarModule } from '../../jar/jar.module.js';
import { OidcCoreModule } from '../../oidc/oidc-core.module.js';
import { ResourceRegistryModule } from '../../resources/registry/resource-registry.module.js';
import { ParController } from './par.controller.js';
import { PushedRequestStore } from './pushed-request.store.js';

/** RFC 9126 pushed authorization requests: POST /par, and the store /authorize reads them from. */
@Module({
  imports: [ClientsModule, ClientAuthModule, DpopModule, JarModule, ResourceRegistryModule, OidcCoreModule],
  controllers: [ParController],
  providers: [PushedRequestStore],
  exports: [PushedRequestStore, JarModule],
})
export class ParModule {}
