import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditRetentionService } from '../audit/audit-retention.service.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

/**
 * Background work on the outbox: webhook delivery and the audit retention purge. Runs once per
 * process: in the admin app, or in the public app when LISTENERS=public (no admin app there).
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity, WebhookDeliveryEntity]), OutboundModule],
  providers: [WebhookEndpointsService, WebhookDispatcher, AuditRetentionService],
  exports: [WebhookDispatcher, AuditRetentionService],
})
export class OutboxWorkersModule {}
