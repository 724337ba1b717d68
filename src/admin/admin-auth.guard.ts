import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
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
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: AdminCredentialsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!header) {
      throw new AdminUnauthorized('admin credentials required');
    }
    const match = /^Bearer ([\x21-\x7E]+)$/i.exec(header);
    if (!match?.[1] || !this.credentials.verify(match[1])) {
      throw new AdminUnauthorized('invalid admin token', 'invalid_token');
    }
    return true;
  }
}
