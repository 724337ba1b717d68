import { Module } from '@nestjs/common';
import { KeysModule } from '../../keys/keys.module.js';
import { AccessTokenService } from './access-token.service.js';
import { JwtAccessTokenService } from './jwt-access-token.service.js';

/** Issues and inspects access tokens; exports AccessTokenService and KeysService. No controllers. */
@Module({
  imports: [KeysModule],
  providers: [{ provide: AccessTokenService, useClass: JwtAccessTokenService }],
  exports: [AccessTokenService, KeysModule],
})
export class AccessTokensModule {}
