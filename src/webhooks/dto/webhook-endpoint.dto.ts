import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AUDIT_EVENT_TYPES } from '../../audit/audit-event-types.js';
import type { WebhookDeliveryEntity } from '../webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from '../webhook-endpoint.entity.js';
import { readTypes } from '../webhook-endpoints.service.js';

const TYPES = ['*', ...AUDIT_EVENT_TYPES];

export class CreateWebhookEndpointDto {
  @ApiProperty({ description: 'Receiver URL (https; fetched through the SSRF-safe outbound rules).' })
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ description: 'Audit event types to receive; ["*"] for all.', enum: TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TYPES.length)
  @IsIn(TYPES, { each: true })
  event_types!: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TYPES.length)
  @IsIn(TYPES, { each: true })
  event_types?: string[];

  @ApiPropertyOptional({
    description:
      'A disabled endpoint receives no new events; what was queued waits and is sent when enabled again.',
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}

export class WebhookEndpointDto {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ isArray: true, enum: TYPES }) event_types!: string[];
  @ApiProperty() disabled!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiPropertyOptional({ description: 'Only in the create response: the signing secret, shown once.' })
  secret?: string;

  static from(e: WebhookEndpointEntity, secret?: string): WebhookEndpointDto {
    return {
      id: e.id,
      url: e.url,
      event_types: readTypes(e.eventTypes),
      disabled: e.disabled,
      created_at: e.createdAt.toISOString(),
      updated_at: e.updatedAt.toISOString(),
      ...(secret ? { secret } : {}),
    };
  }
}

export class WebhookDeliveryDto {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'Sequence of the audit event delivered.' }) event_seq!: number;
  @ApiProperty({ enum: ['pending', 'delivered', 'dead'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() next_attempt_at!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'HTTP status or error code of the last failure.',
  })
  last_error!: string | null;
  @ApiProperty({ type: String, nullable: true }) finished_at!: string | null;

  static from(d: WebhookDeliveryEntity): WebhookDeliveryDto {
    return {
      id: d.id,
      event_seq: d.eventSeq,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.nextAttemptAt.toISOString(),
      last_error: d.lastError,
      finished_at: d.finishedAt?.toISOString() ?? null,
    };
  }
}
