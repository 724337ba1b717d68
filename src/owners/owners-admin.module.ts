import { Module } from '@nestjs/common';
import { OwnersAdminController } from './owners-admin.controller.js';
import { OwnerErasureModule } from './owner-erasure.module.js';
import { OwnersModule } from './owners.module.js';

/** /admin/owners; imported only by AdminAppModule. */
@Module({
  imports: [OwnersModule, OwnerErasureModule],
  controllers: [OwnersAdminController],
})
export class OwnersAdminModule {}
