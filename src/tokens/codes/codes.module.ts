import { Module } from '@nestjs/common';
import { ConsentStorageModule } from '../../consent/consent-storage.module.js';
import { AuthorizationCodeGrant } from '../../back-channel/grants/authorization-code.grant.js';
import { ResourceRegistryModule } from '../../resources/registry/resource-registry.module.js';
import { AuthorizationCodeStore } from './authorization-code.store.js';
import { OidcCoreModule } from '../../oidc/oidc-core.module.js';

/** Authorization codes and the authorization_code grant handler (found by the grant registry). */
@Module({
  imports: [ConsentStorageModule, ResourceRegistryModule, OidcCoreModule],
  providers: [AuthorizationCodeStore, AuthorizationCodeGrant],
  exports: [AuthorizationCodeStore, AuthorizationCodeGrant],
})
export class CodesModule {}
