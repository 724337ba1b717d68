import { Injectable, Logger, Optional } from '@nestjs/common';
import { AccessTokenService } from '../tokens/access-tokens/access-token.service.js';
import { RefreshTokenFamilies } from '../tokens/codes/refresh-token-families.js';

/**
 * Revokes what was issued under a consent grant or from one authorization code: refresh-token
 * families (RefreshTokenService) and the access tokens of a grant (AccessTokenService).
 */
@Injectable()
export class GrantRevocation {
  private readonly logger = new Logger('GrantRevocation');

  constructor(
    @Optional() private readonly refreshTokens?: RefreshTokenFamilies,
    @Optional() private readonly accessTokens?: AccessTokenService,
  ) {}

  async revokeConsentGrant(consentGrantId: string): Promise<void> {
    if (!this.refreshTokens) {
      this.logger.warn('no refresh-token service: nothing to revoke for a consent grant');
      return;
    }
    await this.refreshTokens.revokeFamiliesOfConsentGrant(consentGrantId);
  }

  async revokeIssued(issued: { familyId?: string; accessGrantId: string }): Promise<void> {
    if (issued.familyId && this.refreshTokens) {
      await this.refreshTokens.revokeFamily(issued.familyId);
    }
    await this.accessTokens?.revokeGrant(issued.accessGrantId);
  }
}
