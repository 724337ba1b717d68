import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClientsModule } from '../clients/clients.module.js';
import { DpopModule } from '../dpop/dpop.module.js';
import { OidcCoreModule } from '../oidc/oidc-core.module.js';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { ClientAuthModule } from './client-auth/client-auth.module.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { GrantRegistry } from './grants/grant-registry.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import { TokenRoute } from './token/token.route.js';
import { TokenEndpoint } from './token/token-endpoint.service.js';
import { FormContentTypeHook } from './http/form-content-type.hook.js';
import { MethodNotAllowedController } from './http/method-not-allowed.controller.js';
import { IntrospectionRoute } from './introspection/introspection.route.js';
import { IntrospectionService } from './introspection/introspection.service.js';
import { RefreshTokenHousekeeping } from '../tokens/refresh-tokens/refresh-token-housekeeping.service.js';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { RevocationController } from './revocation/revocation.controller.js';
import { RevocationService } from './revocation/revocation.service.js';

/**
 * The back channel (client to server): POST /token (grant registry), /introspect, /revoke, plus the
 * refresh-token housekeeping job (runs in processes serving the public listener). Exports the
 * grant registry, client authentication and refresh tokens for other grants (authorization_code).
 */
@Module({
  imports: [
    DiscoveryModule,
    ClientsModule,
    ClientAuthModule,
    AccessTokensModule,
    RefreshTokensModule,
    ResourceRegistryModule,
    DpopModule,
    OidcCoreModule,
  ],
  controllers: [RevocationController, MethodNotAllowedController],
  providers: [
    FormContentTypeHook,
    TokenRoute,
    IntrospectionRoute,
    GrantRegistry,
    TokenEndpoint,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    IntrospectionService,
    RevocationService,
    RefreshTokenHousekeeping,
  ],
  exports: [GrantRegistry, ClientAuthModule, RefreshTokensModule, RefreshTokenHousekeeping],
})
export class BackChannelModule {}
