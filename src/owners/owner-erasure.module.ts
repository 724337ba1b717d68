import { Module } from '@nestjs/common';
import { RefreshTokensModule } from '../tokens/refresh-tokens/refresh-tokens.module.js';
import { OwnerErasureService } from './owner-erasure.service.js';
import { OwnersModule } from './owners.module.js';

/** OwnerErasureService, for the admin API and the admin CLI. */
@Module({
  imports: [OwnersModule, RefreshTokensModule],
  providers: [OwnerErasureService],
  exports: [OwnerErasureService],
})
export class OwnerErasureModule {}
