import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { OwnerLocalGuard } from '../../owners/guards/owner-local.guard.js';
import { InvalidOwnerCredentials } from '../../owners/owner-errors.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { FormPageError } from '../authorize/authorize-error.filter.js';
import { AuthorizePageError } from '../authorize/authorize-errors.js';
import { LOGIN_FAILED } from '../login/login.guard.js';
import { LoginRateLimiter } from '../login/login-rate-limiter.js';
import { DevicePages } from './device-pages.service.js';
import { DeviceVerificationStore } from './device-verification.store.js';

/**
 * POST /device/login, as POST /login: the verification belongs to this browser, the CSRF token
 * matches, the login limits (R-SEC-6) hold, then the Passport `owner-local` strategy.
 */
@Injectable()
export class DeviceLoginGuard implements CanActivate {
  constructor(
    private readonly verifications: DeviceVerificationStore,
    private readonly sessions: OwnerSessionService,
    private readonly csrf: CsrfService,
    private readonly limiter: LoginRateLimiter,
    private readonly ownerLocal: OwnerLocalGuard,
    private readonly pages: DevicePages,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const browserId = this.sessions.presentedBrowserId(request);
    const verification = await this.verifications.load(body.v, browserId);
    if (!verification || !browserId) {
      throw new AuthorizePageError('this code entry has expired; enter the code again at /device');
    }
    const v = body.v as string;
    if (!this.csrf.verify('device', `login:${v}:${browserId}`, body.csrf)) {
      throw new AuthorizePageError(
        'the form has expired or was tampered with (CSRF check failed); go back and try again',
        403,
      );
    }
    const username = typeof body.username === 'string' ? body.username : '';
    // Counted before the password check, same policy as /login (issue 16 L4/L5, docs/owners.md).
    const { retryAfter } = await this.limiter.reserve(request.ip, username);
    const fail = (error: string, status: number, headers?: Record<string, string>): FormPageError =>
      new FormPageError((reply: FastifyReply) =>
        this.pages.login(reply, v, verification, browserId, { error, username, status, headers }),
      );
    if (retryAfter !== null) {
      throw fail('Too many failed attempts. Wait a while before trying again.', 429, {
        'Retry-After': String(retryAfter),
      });
    }
    try {
      await this.ownerLocal.canActivate(context);
    } catch (err) {
      if (err instanceof InvalidOwnerCredentials || err instanceof InvalidRequest) {
        const status = err instanceof InvalidOwnerCredentials ? 401 : 400;
        throw fail(status === 401 ? LOGIN_FAILED : 'Enter your username and password.', status);
      }
      throw err;
    }
    await this.limiter.recordSuccess(request.ip, username);
    return true;
  }
}
