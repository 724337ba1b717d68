import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { OwnersModule } from '../owners/owners.module.js';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { BackchannelModule } from './backchannel/backchannel.module.js';
import { OidcCoreModule } from './oidc-core.module.js';
import { UserinfoController } from './userinfo.controller.js';

/** OpenID Connect on the public listener: UserInfo, back-channel logout (ID tokens: OidcCoreModule). */
@Module({
  imports: [OidcCoreModule, BackchannelModule, AccessTokensModule, OwnersModule, ClientsModule],
  controllers: [UserinfoController],
})
export class OidcModule {}
