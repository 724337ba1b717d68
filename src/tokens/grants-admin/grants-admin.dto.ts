import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/http/pagination-query.dto.js';
import { IsOptional, IsString, Length } from 'class-validator';
import type { RefreshTokenFamilyEntity } from '../refresh-tokens/refresh-token-family.entity.js';

export class GrantFilterQuery {
  @ApiPropertyOptional({ description: 'Only grants of this client.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  client_id?: string;

  @ApiPropertyOptional({ description: 'Only grants of this resource owner.' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  owner_id?: string;
}

export class ListGrantsQuery extends IntersectionType(GrantFilterQuery, PaginationQueryDto) {}

export class GrantIdParam {
  @ApiProperty({ description: 'Grant (refresh-token family) id.' })
  @IsString()
  @Length(1, 36)
  id!: string;
}

/** One active grant (refresh-token family). */
export class GrantDto {
  @ApiProperty() id!: string;
  @ApiProperty() client_id!: string;
  @ApiProperty({ type: String, nullable: true }) owner_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) consent_grant_id!: string | null;
  @ApiProperty({ description: 'Space-delimited granted scope.' }) scope!: string;
  @ApiProperty({ type: [String] }) resources!: string[];
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', description: 'Absolute expiry of the grant.' }) expires_at!: string;

  static from(family: RefreshTokenFamilyEntity): GrantDto {
    return Object.assign(new GrantDto(), {
      id: family.id,
      client_id: family.clientId,
      owner_id: family.ownerId,
      consent_grant_id: family.consentGrantId,
      scope: family.scope,
      resources: family.resources,
      created_at: family.createdAt.toISOString(),
      expires_at: family.absoluteExpiresAt.toISOString(),
    });
  }
}

export class GrantPageDto {
  @ApiProperty({ type: [GrantDto] }) data!: GrantDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class RevokedCountDto {
  @ApiProperty({ description: 'Number of grants revoked.' }) revoked!: number;
}
