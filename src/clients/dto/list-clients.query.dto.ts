import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { TokenEndpointAuthMethod } from '../client.entity.js';
import { AUTH_METHODS } from '../client-metadata.rules.js';
import { PaginationQueryDto, queryBoolean } from '../../common/http/pagination-query.dto.js';

/** GET /admin/clients query: pagination (limit ≤ 100) and filters. */
export class ListClientsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of client_name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: AUTH_METHODS })
  @IsOptional()
  @IsIn(AUTH_METHODS)
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  disabled?: boolean;
}
