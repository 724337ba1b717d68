import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { OwnerAccessRevocation } from './owner-access-revocation.js';
import { OwnersAdminController } from './owners-admin.controller.js';
import { OwnerErasureModule } from './owner-erasure.module.js';
import { OwnersModule } from './owners.module.js';
import { BackchannelModule } from '../oidc/backchannel/backchannel.module.js';

/** /admin/owners; imported only by AdminAppModule. */
@Module({
  imports: [OwnersModule, RefreshTokensModule, AccessTokensModule, OwnerErasureModule, BackchannelModule],
  controllers: [OwnersAdminController],
  providers: [OwnerAccessRevocation],
})
export class OwnersAdminModule {}
