import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { oauthValidationPipe } from '../common/http/validation.pipe.js';
import { ClientsModule } from '../clients/clients.module.js';
import { DiscoveryModule } from '../discovery/discovery.module.js';
import { RegistrationModule } from '../registration/registration.module.js';
import { HealthModule } from '../health/health.module.js';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { JwksModule } from '../keys/jwks.module.js';
import { BackChannelModule } from '../back-channel/back-channel.module.js';
import { OwnersModule } from '../owners/owners.module.js';
import { SampleApiModule } from '../resources/sample-api/sample-api.module.js';
import { FrontChannelModule } from '../front-channel/front-channel.module.js';
import { ConsentModule } from '../consent/consent.module.js';
import { OidcModule } from '../oidc/oidc.module.js';
import { DeviceModule } from '../device/device.module.js';
import { TokenExchangeModule } from '../token-exchange/token-exchange.module.js';
import { OutboxWorkersModule } from '../webhooks/outbox-workers.module.js';
import { CoreModule } from './core.module.js';
import type { SharedResources } from './shared-resources.js';

/** The public listener: OAuth endpoints, pages, discovery. Declares no admin controller. */
@Module({})
export class PublicAppModule {
  static forRoot(shared: SharedResources): DynamicModule {
    return {
      module: PublicAppModule,
      imports: [
        CoreModule.forRoot(shared),
        HealthModule,
        ClientsModule,
        RegistrationModule,
        OwnersModule,
        AccessTokensModule,
        JwksModule,
        DiscoveryModule,
        ConsentModule,
        FrontChannelModule,
        BackChannelModule,
        OidcModule,
        DeviceModule,
        TokenExchangeModule,
        SampleApiModule.register(shared.config),
        // The admin app runs the outbox workers; without one in this process, this app does.
        ...(shared.config.env.LISTENERS === 'public' ? [OutboxWorkersModule] : []),
      ],
      providers: [{ provide: APP_PIPE, useFactory: oauthValidationPipe }],
    };
  }
}
