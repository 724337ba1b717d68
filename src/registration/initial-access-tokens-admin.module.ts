import { Module } from '@nestjs/common';
import { InitialAccessTokensAdminController } from './initial-access-tokens-admin.controller.js';
import { InitialAccessTokensModule } from './initial-access-tokens.module.js';

/** Admin routes for initial access tokens; imported only by AdminAppModule. */
@Module({
  imports: [InitialAccessTokensModule],
  controllers: [InitialAccessTokensAdminController],
})
export class InitialAccessTokensAdminModule {}
