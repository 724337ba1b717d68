import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokensModule } from '../tokens/access-tokens/access-tokens.module.js';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { ConsentGrantEntity } from './consent-grant.entity.js';
import { ConsentService } from './consent.service.js';
import { GrantRevocation } from './grant-revocation.js';

/** Consent grants and grant revocation, without any controller (used by both listeners). */
@Module({
  imports: [TypeOrmModule.forFeature([ConsentGrantEntity]), RefreshTokensModule, AccessTokensModule],
  providers: [ConsentService, GrantRevocation],
  exports: [ConsentService, GrantRevocation, RefreshTokensModule, AccessTokensModule],
})
export class ConsentStorageModule {}
