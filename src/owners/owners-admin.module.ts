import { Module } from '@nestjs/common';
import { OwnersAdminController } from './owners-admin.controller.js';
import { OwnerErasureModule } from './owner-erasure.module.js';
import { OwnersModule } from './owners.module.js';
import { BackchannelModule } from '../oidc/backchannel/backchannel.module.js';

/** /admin/owners; imported only by AdminAppModule. */
@Module({
  imports: [OwnersModule, OwnerErasureModule, BackchannelModule],
  controllers: [OwnersAdminController],
})
export class OwnersAdminModule {}
