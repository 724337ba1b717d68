import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditWriter } from '../../audit/audit-writer.js';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { usernameKey } from '../../owners/username-key.js';
import { OwnerLocalGuard } from '../../owners/guards/owner-local.guard.js';
import { InvalidOwnerCredentials } from '../../owners/owner-errors.js';
import { FormPageError } from '../authorize/authorize-error.filter.js';
import { AuthorizePageError } from '../authorize/authorize-errors.js';
import { AuthorizeFlowService } from '../authorize/authorize-flow.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { LoginPage } from './login-page.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { loginBinding, setLoginFlow, type LoginFlow } from './login-flow.js';

/** The one message for every failed login: no user enumeration. */
export const LOGIN_FAILED = 'Invalid username or password.';

/**
 * POST /login, in order: the pending request belongs to this browser, the CSRF token matches
 * (R-SEC-4), the IP and username are under their limits (R-SEC-6), then the Passport
 * `owner-local` strategy checks the password. Failures re-render the form.
 */
@Injectable()
export class LoginGuard implements CanActivate {
  private readonly logger = new Logger('Login');

  constructor(
    private readonly flow: AuthorizeFlowService,
    private readonly sessions: OwnerSessionService,
    private readonly csrf: CsrfService,
    private readonly limiter: LoginRateLimiter,
    private readonly ownerLocal: OwnerLocalGuard,
    private readonly page: LoginPage,
    private readonly audit: AuditWriter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const body = (request.body ?? {}) as Record<string, unknown>;
    let flow: LoginFlow = {};
    if (body.req !== undefined && body.req !== '') {
      const resumed = await this.flow.resume(request, body.req);
      flow = { pendingId: resumed.id, pending: resumed.pending, client: resumed.client };
    }
    const browserId = this.sessions.presentedBrowserId(request);
    if (!browserId || !this.csrf.verify('login', loginBinding(flow.pendingId, browserId), body.csrf)) {
      throw new AuthorizePageError(
        'the form has expired or was tampered with (CSRF check failed); go back and try again',
        403,
      );
    }
    const username = typeof body.username === 'string' ? body.username : '';
    const retryAfter = await this.limiter.retryAfter(request.ip, username);
    if (retryAfter !== null) {
      throw new FormPageError((reply: FastifyReply) =>
        this.page.send(reply, flow, browserId, {
          error: 'Too many failed attempts. Wait a while before trying again.',
          username,
          status: 429,
          headers: { 'Retry-After': String(retryAfter) },
        }),
      );
    }
    try {
      await this.ownerLocal.canActivate(context);
    } catch (err) {
      if (err instanceof InvalidOwnerCredentials || err instanceof InvalidRequest) {
        await this.limiter.recordFailure(request.ip, username);
        await this.recordFailure(request, username, flow, err instanceof InvalidOwnerCredentials);
        const status = err instanceof InvalidOwnerCredentials ? 401 : 400;
        const message = status === 401 ? LOGIN_FAILED : 'Enter your username and password.';
        throw new FormPageError((reply: FastifyReply) =>
          this.page.send(reply, flow, browserId, { error: message, username, status }),
        );
      }
      throw err;
    }
    setLoginFlow(request, flow);
    return true;
  }

  /**
   * `login.failed`: never the password; the username only as the SHA-256 of its login key (the
   * limiter's key), so failures against one account can be correlated and erasure can find them.
   */
  private async recordFailure(
    request: FastifyRequest,
    username: string,
    flow: LoginFlow,
    badCredentials: boolean,
  ): Promise<void> {
    const key = usernameKey(username.slice(0, 200));
    await this.audit
      .recordAlone({
        type: 'login.failed',
        subject: { type: 'username', id: key ? hashSecret(key) : null },
        actor: { type: 'anonymous', id: null },
        sourceAddress: request.ip,
        data: {
          reason: badCredentials ? 'invalid_credentials' : 'missing_credentials',
          client_id: flow.client?.clientId ?? null,
        },
      })
      .catch((err: unknown) => this.logger.warn(`audit write failed: ${String(err)}`));
  }
}
