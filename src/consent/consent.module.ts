import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { OwnersModule } from '../owners/owners.module.js';
import { PagesModule } from '../pages/pages.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AccountController } from './account.controller.js';
import { ConsentStorageModule } from './consent-storage.module.js';

/** Remembered consent and the owner's /account page (public surface). */
@Module({
  imports: [ConsentStorageModule, ClientsModule, OwnersModule, PagesModule, SessionsModule],
  controllers: [AccountController],
  exports: [ConsentStorageModule],
})
export class ConsentModule {}
