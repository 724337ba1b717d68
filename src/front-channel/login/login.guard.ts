import { Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditWriter } from '../../audit/audit-writer.js';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { usernameKey } from '../../owners/username-key.js';
import { OwnerLocalGuard } from '../../owners/guards/owner-local.guard.js';
import { Metrics } from '../../metrics/metrics.js';
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
 * (R-SEC-4), the attempt is counted and under its limits (R-SEC-6, docs/owners.md), then the Passport
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
    @Optional() private readonly metrics?: Metrics,
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
    // Counted before the password check (issue 16 L4); may wait the username's delay (L5).
    const { retryAfter } = await this.limiter.reserve(request.ip, username);
    if (retryAfter !== null) {
      this.metrics?.logins.inc({ outcome: 'rate_limited' });
      this.metrics?.throttled.inc({ limiter: 'login' });
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
        await this.recordFailure(request, username, flow, err instanceof InvalidOwnerCredentials);
        const status = err instanceof InvalidOwnerCredentials ? 401 : 400;
        this.metrics?.logins.inc({ outcome: status === 401 ? 'invalid_credentials' : 'invalid_request' });
        const message = status === 401 ? LOGIN_FAILED : 'Enter your username and password.';
        throw new FormPageError((reply: FastifyReply) =>
          this.page.send(reply, flow, browserId, { error: message, username, status }),
        );
      }
      throw err;
    }
    await this.limiter.recordSuccess(request.ip, username);
    setLoginFlow(request, flow);
    this.metrics?.logins.inc({ outcome: 'success' });
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
