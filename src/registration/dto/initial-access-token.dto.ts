import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/http/pagination-query.dto.js';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** POST /admin/initial-access-tokens. Both limits optional: omitted means no limit. */
export class CreateInitialAccessTokenDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 31536000, description: 'Lifetime in seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31536000)
  expires_in?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000000, description: 'Registrations allowed with this token' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  max_uses?: number;
}

export class ListInitialAccessTokensQueryDto extends PaginationQueryDto {}

export class InitialAccessTokenResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'ISO 8601; null: never' }) expires_at!:
    string | null;
  @ApiProperty({ type: Number, nullable: true }) max_uses!: number | null;
  @ApiProperty() uses!: number;
  @ApiProperty({ type: String, nullable: true }) revoked_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiPropertyOptional({ description: 'Only in the create response: the bearer value, shown once' })
  token?: string;
}

export class InitialAccessTokenListResponseDto {
  @ApiProperty({ type: [InitialAccessTokenResponseDto] }) items!: InitialAccessTokenResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
