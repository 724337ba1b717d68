import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AccessTokenService } from '../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';

export type OwnerAccessEvent = 'disabled' | 'password_reset';

/**
 * Ends what an owner was given when the operator disables them or resets their password (issue
 * 16 M2): every grant family (refresh tokens, and through the grant markers their access
 * tokens) and a subject marker that makes introspection call any older access token inactive.
 * Sessions need no list: the session liveness check (src/sessions/session-liveness.ts) drops
 * sessions of disabled owners and sessions older than the last password change on next use.
 * A reset keeps grants when OWNER_PASSWORD_RESET_GRANTS=keep (sessions still end).
 */
@Injectable()
export class OwnerAccessRevocation {
  private readonly logger = new Logger('Owners');

  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly accessTokens: AccessTokenService,
    private readonly config: AppConfig,
  ) {}

  async endAccess(ownerId: string, event: OwnerAccessEvent): Promise<void> {
    if (event === 'password_reset' && this.config.env.OWNER_PASSWORD_RESET_GRANTS === 'keep') {
      return;
    }
    await this.accessTokens.revokeSubject(ownerId);
    const revoked = await this.refreshTokens.revokeFamiliesOf({ ownerId });
    this.logger.log(`owner ${ownerId} ${event.replace('_', ' ')}: ${revoked} grant(s) revoked`);
  }
}
