import { Module } from '@nestjs/common';
import { ClientsAdminController } from './clients-admin.controller.js';
import { ClientsModule } from './clients.module.js';

/** Admin routes for clients; imported only by AdminAppModule. */
@Module({
  imports: [ClientsModule],
  controllers: [ClientsAdminController],
})
export class ClientsAdminModule {}
