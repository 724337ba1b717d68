import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ANY_SCOPE_KEY, PUBLIC_KEY, SCOPES_KEY } from './metadata-keys.js';
import { ResourceServerError } from './resource-server.error.js';
import { RESOURCE_SERVER_STRATEGY } from './bearer.strategy.js';
import { TOKEN_PRINCIPAL_PROPERTY, type TokenPrincipal } from './token-principal.js';

/**
 * Passport guard for this module's bearer strategy, then the route's scope rules
 * (R-RS-1, R-RS-10). Routes marked @Public() pass without a token.
 */
@Injectable()
export class ResourceServerGuard extends AuthGuard() {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOURCE_SERVER_STRATEGY) strategyName: string,
  ) {
    super({ defaultStrategy: strategyName, property: TOKEN_PRINCIPAL_PROPERTY, session: false });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (context.getType() !== 'http' || this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<Record<string, TokenPrincipal>>()[
      TOKEN_PRINCIPAL_PROPERTY
    ];
    const granted = new Set(principal?.scopes ?? []);
    const all = this.reflector.getAllAndMerge<string[]>(SCOPES_KEY, targets) ?? [];
    if (all.some((scope) => !granted.has(scope))) {
      throw ResourceServerError.insufficientScope(all);
    }
    const any = this.reflector.getAllAndOverride<string[] | undefined>(ANY_SCOPE_KEY, targets);
    if (any && any.length > 0 && !any.some((scope) => granted.has(scope))) {
      throw ResourceServerError.insufficientScope(any);
    }
    return true;
  }

  override handleRequest<T = TokenPrincipal>(err: unknown, principal: T | false): T {
    if (err instanceof ResourceServerError) {
      throw err;
    }
    if (err || !principal) {
      throw ResourceServerError.invalidToken();
    }
    return principal;
  }
}
