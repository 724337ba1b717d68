import { ApiProperty } from '@nestjs/swagger';
import type { ConsentGrantEntity } from '../consent-grant.entity.js';

export class ConsentGrantResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() owner_id!: string;
  @ApiProperty() client_id!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ type: [String] }) resources!: string[];
  @ApiProperty({ description: 'ISO 8601' }) created_at!: string;
  @ApiProperty({ description: 'ISO 8601, to the minute' }) last_used_at!: string;
  @ApiProperty({ description: 'ISO 8601', nullable: true, type: String }) revoked_at!: string | null;

  static from(g: ConsentGrantEntity): ConsentGrantResponseDto {
    return {
      id: g.id,
      owner_id: g.ownerId,
      client_id: g.clientId,
      scopes: g.scopes,
      resources: g.resources,
      created_at: g.createdAt.toISOString(),
      last_used_at: g.lastUsedAt.toISOString(),
      revoked_at: g.revokedAt ? g.revokedAt.toISOString() : null,
    };
  }
}
