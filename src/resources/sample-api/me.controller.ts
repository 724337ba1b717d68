import { UseGuards, Controller, Get } from '@nestjs/common';
import { NotFound } from '../../common/errors/oauth-error.js';
import { OwnersService } from '../../owners/owners.service.js';
import { Protected, Scopes, TokenPrincipalParam, type TokenPrincipal } from '../resource-server/index.js';
import { ActiveOwnerGuard } from './active-owner.guard.js';

export interface ProfileResponse {
  sub: string;
  username: string;
  name: string | null;
  email?: string | null;
}

/** GET /api/me (scope profile): the resource owner's profile; email only with scope email. */
@Controller('api/me')
// Decorators apply bottom-up: the bearer guard (@Protected) runs first, then this one.
@UseGuards(ActiveOwnerGuard)
@Protected()
export class MeController {
  constructor(private readonly owners: OwnersService) {}

  @Get()
  @Scopes('profile')
  async me(@TokenPrincipalParam() token: TokenPrincipal): Promise<ProfileResponse> {
    // A client_credentials token's sub is the client: there is no owner profile to show.
    const owner = await this.owners.get(token.sub).catch((err: unknown) => {
      if (err instanceof NotFound) {
        return null;
      }
      throw err;
    });
    if (!owner || owner.disabled) {
      throw new NotFound('no resource owner behind this token');
    }
    return {
      sub: owner.id,
      username: owner.username,
      name: owner.displayName,
      ...(token.scopes.includes('email') ? { email: owner.email } : {}),
    };
  }
}
