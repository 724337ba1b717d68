import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { IdTokenHintVerifier } from './id-token-hint.js';
import { IdTokenService } from './id-token.service.js';

/** ID token issuing and id_token_hint verification, for the grants and the front channel. */
@Module({
  imports: [KeysModule],
  providers: [IdTokenService, IdTokenHintVerifier],
  exports: [IdTokenService, IdTokenHintVerifier],
})
export class OidcCoreModule {}
