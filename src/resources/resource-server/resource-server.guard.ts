import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { RESOURCE_SERVER_STRATEGY } from './bearer.strategy.js';
import { ANY_SCOPE_KEY, PUBLIC_KEY, SCOPES_KEY } from './metadata-keys.js';
import { ResourceServerError } from './resource-server.error.js';
import { TOKEN_PRINCIPAL_PROPERTY, type TokenPrincipal } from './token-principal.js';

type RequestWithPrincipal = Record<string, unknown> & { [TOKEN_PRINCIPAL_PROPERTY]?: TokenPrincipal };

/**
 * Runs this module's Passport strategy, then the route's scope rules (R-RS-1, R-RS-10).
 * Routes marked @Public() pass without a token. It calls passport.authenticate itself, like
 * @nestjs/passport's AuthGuard does, but with this instance's own strategy name: the app's
 * PassportModule options (defaultStrategy, property) can never redirect it.
 */
@Injectable()
export class ResourceServerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOURCE_SERVER_STRATEGY) private readonly strategyName: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (context.getType() !== 'http' || this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const principal = await this.authenticate(request, http.getResponse());
    request[TOKEN_PRINCIPAL_PROPERTY] = principal;
    const granted = new Set(principal.scopes);
    const all = this.reflector.getAllAndMerge<string[]>(SCOPES_KEY, targets) ?? [];
    const any = this.reflector.getAllAndOverride<string[] | undefined>(ANY_SCOPE_KEY, targets) ?? [];
    const anyMissing = any.length > 0 && !any.some((scope) => granted.has(scope));
    if (anyMissing || all.some((scope) => !granted.has(scope))) {
      // R-RS-10 / R-MCP-16: the challenge names every scope the operation needs (all of
      // @Scopes, and the @AnyScope alternatives when none is held), not only the missing
      // ones: MCP clients request exactly this list on step-up.
      const held = any.filter((scope) => granted.has(scope));
      throw ResourceServerError.insufficientScope([
        ...new Set([...all, ...(anyMissing ? any : held)]),
      ]).inScheme(principal.dpop ? 'DPoP' : 'Bearer');
    }
    return true;
  }

  private authenticate(request: RequestWithPrincipal, response: unknown): Promise<TokenPrincipal> {
    return new Promise((resolve, reject) => {
      const middleware = passport.authenticate(
        this.strategyName,
        { session: false },
        (err: unknown, principal: TokenPrincipal | false) => {
          if (err instanceof ResourceServerError) {
            reject(err);
          } else if (err || !principal) {
            reject(ResourceServerError.invalidToken());
          } else {
            resolve(principal);
          }
        },
      ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
      middleware(request, response, (err?: unknown) =>
        reject(err instanceof Error ? err : ResourceServerError.invalidToken()),
      );
    });
  }
}
