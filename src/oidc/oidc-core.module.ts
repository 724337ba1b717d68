import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { SessionLogout } from './logout/session-logout.service.js';
import { SessionParticipants } from './logout/session-participants.js';
import { IdTokenHintVerifier } from './id-token-hint.js';
import { IdTokenService } from './id-token.service.js';

/** ID tokens, id_token_hint verification and session logout, for the grants and the front channel. */
@Module({
  imports: [KeysModule, SessionsModule],
  providers: [IdTokenService, IdTokenHintVerifier, SessionParticipants, SessionLogout],
  exports: [IdTokenService, IdTokenHintVerifier, SessionParticipants, SessionLogout],
})
export class OidcCoreModule {}
