import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditAdminController } from './audit-admin.controller.js';
import { AuditEventEntity } from './audit-event.entity.js';

/** /admin/audit-events; imported only by AdminAppModule. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditAdminController],
})
export class AuditAdminModule {}
