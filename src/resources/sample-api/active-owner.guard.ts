import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OwnersService } from '../../owners/owners.service.js';
import { ResourceServerError, type TokenPrincipal } from '../resource-server/index.js';
import { TOKEN_PRINCIPAL_PROPERTY } from '../resource-server/token-principal.js';

/**
 * The sample API serves owners' data: a still-unexpired JWT of an owner who has been disabled
 * since is refused with 401 invalid_token (issue 16 M2). Runs after the bearer guard; tokens
 * whose subject is not an owner (client_credentials) pass.
 */
@Injectable()
export class ActiveOwnerGuard implements CanActivate {
  constructor(private readonly owners: OwnersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Record<string, TokenPrincipal | undefined>>();
    const principal = request[TOKEN_PRINCIPAL_PROPERTY];
    if (!principal) {
      return true;
    }
    const owner = await this.owners.find(principal.sub);
    if (owner?.disabled) {
      throw ResourceServerError.invalidToken('the resource owner is disabled');
    }
    return true;
  }
}
