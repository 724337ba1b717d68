import type { ClientEntity } from '../../clients/client.entity.js';

/** The part of RefreshTokenService (feat/tokens) the authorization-code flow uses. */
export abstract class RefreshTokenFamilies {
  abstract issueFamily(input: {
    client: ClientEntity;
    ownerId: string;
    scope: string;
    resources: string[];
    consentGrantId: string | null;
  }): Promise<{ refreshToken: string; familyId: string }>;
  abstract revokeFamily(familyId: string): Promise<void>;
  abstract revokeFamiliesOfConsentGrant(consentGrantId: string): Promise<void>;
}
