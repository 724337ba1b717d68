import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InitialAccessTokenEntity } from './initial-access-token.entity.js';
import { InitialAccessTokensService } from './initial-access-tokens.service.js';

/** Initial access token storage; no controllers. */
@Module({
  imports: [TypeOrmModule.forFeature([InitialAccessTokenEntity])],
  providers: [InitialAccessTokensService],
  exports: [InitialAccessTokensService],
})
export class InitialAccessTokensModule {}
