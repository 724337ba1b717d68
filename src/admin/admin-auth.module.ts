import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { AdminCredentialsService } from './admin-credentials.service.js';
import { AdminTokenEntity } from './admin-token.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AdminTokenEntity])],
  providers: [AdminCredentialsService, { provide: APP_GUARD, useClass: AdminAuthGuard }],
})
export class AdminAuthModule {}
