import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import type { OwnerEntity } from '../owner.entity.js';
import { InvalidOwnerCredentials } from '../owner-errors.js';
import { OWNER_LOCAL_STRATEGY } from '../strategies/local-owner.strategy.js';

/**
 * Runs the `owner-local` Passport strategy on a POSTed form or JSON body and puts the
 * authenticated OwnerEntity on `request.user` (read it with @CurrentOwner()). No Passport
 * session: the caller decides what to remember. Failures are OAuthErrors, never Nest's
 * default UnauthorizedException: InvalidRequest (400) when a field is missing or the
 * credentials came in the query string, InvalidOwnerCredentials (401) otherwise.
 */
@Injectable()
export class OwnerLocalGuard extends AuthGuard(OWNER_LOCAL_STRATEGY) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as
      Record<string, unknown> | undefined;
    if (query && ('username' in query || 'password' in query)) {
      // passport-local falls back to the query string; URLs end up in logs and histories.
      throw new InvalidRequest('credentials must be sent in the request body, not the URL');
    }
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return { session: false };
  }

  override handleRequest<TUser = OwnerEntity>(
    err: unknown,
    user: unknown,
    _info: unknown,
    _context: ExecutionContext,
    status?: unknown,
  ): TUser {
    if (err) {
      // OAuthErrors from the strategy pass through; anything else (e.g. a database outage)
      // reaches the exception filter unchanged, which maps outages to 503.
      throw err instanceof Error ? err : new Error('owner authentication failed');
    }
    if (!user) {
      // passport-local fails with 400 when a field is missing or empty.
      throw status === 400
        ? new InvalidRequest('username and password are required')
        : new InvalidOwnerCredentials();
    }
    return user as TUser;
  }
}
