import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { InitialAccessTokensModule } from './initial-access-tokens.module.js';
import { RegistrationController } from './registration.controller.js';
import { RegistrationService } from './registration.service.js';

/** Dynamic client registration on the public listener (RFC 7591, RFC 7592). */
@Module({
  imports: [ClientsModule, InitialAccessTokensModule],
  controllers: [RegistrationController],
  providers: [RegistrationService],
})
export class RegistrationModule {}
