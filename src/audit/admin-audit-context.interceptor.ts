import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { AdminCredentialsService } from '../admin/admin-credentials.service.js';
import { adminRequestStarted, auditContext } from './audit-context.js';

/**
 * Admin listener: every handler runs with the admin principal and the caller's address as the
 * audit actor (guards ran before, so the request is authenticated or @Public()).
 */
@Injectable()
export class AdminAuditContextInterceptor implements NestInterceptor {
  constructor(private readonly credentials: AdminCredentialsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const store = {
      actor: { type: 'admin' as const, id: this.credentials.principal },
      sourceAddress: request.ip,
    };
    return new Observable((subscriber) => {
      const finished = adminRequestStarted();
      const inner = auditContext.run(store, () => next.handle().subscribe(subscriber));
      return () => {
        inner.unsubscribe();
        finished();
      };
    });
  }
}
