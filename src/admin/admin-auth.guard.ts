import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuditWriter } from '../audit/audit-writer.js';
import { OAuthError } from '../common/errors/oauth-error.js';
import { IS_PUBLIC_KEY } from '../common/http/public.decorator.js';
import { AdminCredentialsService } from './admin-credentials.service.js';

class AdminUnauthorized extends OAuthError {
  constructor(description: string, error?: string) {
    super(401, error ?? 'unauthorized', description);
    this.withHeader(
      'WWW-Authenticate',
      error ? `Bearer realm="tessera-admin", error="${error}"` : 'Bearer realm="tessera-admin"',
    );
  }
}

/** Every admin route requires `Authorization: Bearer <admin token>` unless marked @Public(). */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly logger = new Logger('AdminAuth');

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: AdminCredentialsService,
    private readonly audit: AuditWriter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header) {
      await this.recordFailure(request, 'missing_credentials');
      throw new AdminUnauthorized('admin credentials required');
    }
    const match = /^Bearer ([\x21-\x7E]+)$/i.exec(header);
    if (!match?.[1] || !this.credentials.verify(match[1])) {
      await this.recordFailure(request, 'invalid_token');
      throw new AdminUnauthorized('invalid admin token', 'invalid_token');
    }
    return true;
  }

  /** Audit event without the presented value; a database failure still answers 401. */
  private async recordFailure(request: FastifyRequest, reason: string): Promise<void> {
    await this.audit
      .recordAlone({
        type: 'admin.authentication_failed',
        subject: { type: 'admin_api', id: null },
        actor: { type: 'anonymous', id: null },
        sourceAddress: request.ip,
        data: { reason, method: request.method, route: request.routeOptions.url ?? null },
      })
      .catch((err: unknown) => this.logger.warn(`audit write failed: ${String(err)}`));
  }
}
