import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseFilters,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { ResourceServerExceptionFilter } from './resource-server-exception.filter.js';
import { ResourceServerGuard } from './resource-server.guard.js';
import { ANY_SCOPE_KEY, PUBLIC_KEY, SCOPES_KEY } from './metadata-keys.js';
import { TOKEN_PRINCIPAL_PROPERTY, type TokenPrincipal } from './token-principal.js';

/** The route needs every one of these scopes (class and method lists add up). */
export const Scopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(SCOPES_KEY, scopes);

/** The route needs at least one of these scopes. */
export const AnyScope = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ANY_SCOPE_KEY, scopes);

/** The route needs no token (only meaningful when the guard is global). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * For `forRoot({ global: false })`: protects a controller or route with the bearer guard and
 * lets the module's own filter write the RFC 6750 challenge, ahead of any app-wide filter.
 */
export const Protected = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(ResourceServerGuard), UseFilters(ResourceServerExceptionFilter));

const principalOf = (ctx: ExecutionContext): TokenPrincipal | undefined =>
  ctx.switchToHttp().getRequest<Record<string, TokenPrincipal | undefined>>()[TOKEN_PRINCIPAL_PROPERTY];

/** The token's `sub` (undefined on a @Public route). */
export const TokenSubject = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => principalOf(ctx)?.sub,
);

/** The token's claims; `@TokenClaims('client_id')` picks one. */
export const TokenClaims = createParamDecorator((claim: string | undefined, ctx: ExecutionContext) => {
  const claims = principalOf(ctx)?.claims;
  return claim ? claims?.[claim] : claims;
});

/** The whole principal (sub, clientId, scopes, claims). */
export const TokenPrincipalParam = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  principalOf(ctx),
);
