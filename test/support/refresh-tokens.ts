import type { ClientEntity } from '../../src/clients/client.entity.js';
import {
  RefreshTokenService,
  type IssueFamilyInput,
  type IssuedRefreshToken,
} from '../../src/tokens/refresh-tokens/refresh-token.service.js';
import type { TestApp } from './create-test-app.js';

/** Starts a grant as the authorization_code grant will: through RefreshTokenService.issueFamily. */
export function issueFamily(
  app: TestApp,
  client: ClientEntity,
  overrides: Partial<Omit<IssueFamilyInput, 'client'>> = {},
): Promise<IssuedRefreshToken> {
  return app.publicApp.get(RefreshTokenService, { strict: false }).issueFamily({
    client,
    ownerId: 'owner-1',
    scope: 'read write',
    resources: ['https://api.example.com'],
    ...overrides,
  });
}
