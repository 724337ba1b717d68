import { ApiProperty } from '@nestjs/swagger';
import type { AuditEventEntity } from '../audit-event.entity.js';

export class AuditPartyDto {
  @ApiProperty({ example: 'admin' })
  type!: string;

  @ApiProperty({ type: String, nullable: true })
  id!: string | null;
}

export class AuditEventDto {
  @ApiProperty({ description: 'Stable event id (also the webhook payload id).' })
  id!: string;

  @ApiProperty({ example: 'client.created' })
  type!: string;

  @ApiProperty({ description: 'ISO 8601.' })
  occurred_at!: string;

  @ApiProperty({ type: AuditPartyDto })
  actor!: AuditPartyDto;

  @ApiProperty({ type: AuditPartyDto })
  subject!: AuditPartyDto;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The owner concerned (a pseudonym once erased).',
  })
  owner_id!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Client address of the request, when known.' })
  source_address!: string | null;

  @ApiProperty({ type: Object, description: 'Type-specific, non-secret details.' })
  data!: Record<string, unknown>;

  static from(e: AuditEventEntity): AuditEventDto {
    return {
      id: e.eventId,
      type: e.type,
      occurred_at: e.occurredAt.toISOString(),
      actor: { type: e.actorType, id: e.actorId },
      subject: { type: e.subjectType, id: e.subjectId },
      owner_id: e.ownerId,
      source_address: e.sourceAddress,
      data: e.data,
    };
  }
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first.' })
  data!: AuditEventDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null at the end.',
  })
  next_cursor!: string | null;
}
