import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_EVENT_TYPES } from '../audit-event-types.js';

/** Filters and cursor of GET /admin/audit-events. */
export class ListAuditEventsQueryDto {
  @ApiPropertyOptional({ description: 'Only events of this type.', enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional({
    description: 'Only events about this subject id (client id, owner id, grant id, kid…).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subject?: string;

  @ApiPropertyOptional({
    description: 'Only events by this actor id (`ADMIN_TOKEN`, `bootstrap`, an owner or client id).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  @ApiPropertyOptional({ description: 'Only events concerning this owner.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Events at or after this instant (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ description: 'Events before this instant (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'cursor must be a next_cursor value' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}
