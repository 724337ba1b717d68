import { Module } from '@nestjs/common';
import { OwnersAdminController } from './owners-admin.controller.js';
import { OwnersModule } from './owners.module.js';

/** /admin/owners; imported only by AdminAppModule. */
@Module({
  imports: [OwnersModule],
  controllers: [OwnersAdminController],
})
export class OwnersAdminModule {}
