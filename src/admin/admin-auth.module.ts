import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminAuditContextInterceptor } from '../audit/admin-audit-context.interceptor.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { AdminCredentialsService } from './admin-credentials.service.js';
import { AdminTokenEntity } from './admin-token.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AdminTokenEntity])],
  providers: [
    AdminCredentialsService,
    { provide: APP_GUARD, useClass: AdminAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AdminAuditContextInterceptor },
  ],
})
export class AdminAuthModule {}
