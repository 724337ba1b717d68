import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/audit-context.js';
import { AccessTokenService } from '../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';

/**
 * Revokes what was issued under a consent grant or from one authorization code: refresh-token
 * families (which also revokes their access tokens) and the access tokens of a grant id.
 */
@Injectable()
export class GrantRevocation {
  constructor(
    private readonly refreshTokens: RefreshTokenService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async revokeConsentGrant(consentGrantId: string, actor?: Actor): Promise<void> {
    await this.refreshTokens.revokeFamiliesOfConsentGrant(consentGrantId, actor);
  }

  async revokeIssued(issued: { familyId?: string; accessGrantId: string }): Promise<void> {
    if (issued.familyId) {
      await this.refreshTokens.revokeFamily(issued.familyId, new Date(), { reason: 'code_replay' });
    }
    await this.accessTokens.revokeGrant(issued.accessGrantId);
  }
}
