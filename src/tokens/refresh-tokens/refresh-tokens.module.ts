import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { RefreshTokenService } from './refresh-token.service.js';

/**
 * Refresh tokens and grants (families). Import it to use RefreshTokenService; revoking a family
 * also revokes its access tokens through AccessTokenService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RefreshTokenEntity, RefreshTokenFamilyEntity]), AccessTokensModule],
  providers: [RefreshTokenRepository, RefreshTokenService],
  exports: [RefreshTokenService, RefreshTokenRepository],
})
export class RefreshTokensModule {}
