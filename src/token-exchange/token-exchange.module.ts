import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwtBearerGrant } from '../back-channel/grants/jwt-bearer.grant.js';
import { TokenExchangeGrant } from '../back-channel/grants/token-exchange.grant.js';
import { OidcCoreModule } from '../oidc/oidc-core.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { OwnersModule } from '../owners/owners.module.js';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { ExchangeTokens } from './exchange-tokens.js';
import { TokenExchangePolicies } from './token-exchange-policies.service.js';
import { TokenExchangePolicyEntity } from './token-exchange-policy.entity.js';
import { TrustedIssuerEntity } from './trusted-issuer.entity.js';
import { TrustedIssuerKeys } from './trusted-issuer-keys.js';
import { TrustedJwtVerifier } from './trusted-jwt.verifier.js';

/** Exchange policies, trusted issuers, the token-exchange and JWT bearer grants (public listener). */
@Module({
  imports: [
    ResourceRegistryModule,
    TypeOrmModule.forFeature([TokenExchangePolicyEntity, TrustedIssuerEntity]),
    OwnersModule,
    OidcCoreModule,
    OutboundModule,
    AccessTokensModule,
    RefreshTokensModule,
  ],
  providers: [
    TokenExchangePolicies,
    TrustedIssuerKeys,
    TrustedJwtVerifier,
    ExchangeTokens,
    TokenExchangeGrant,
    JwtBearerGrant,
  ],
  exports: [TokenExchangePolicies, TrustedJwtVerifier],
})
export class TokenExchangeModule {}
