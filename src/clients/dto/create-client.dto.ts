import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { AccessTokenFormat } from '../client.entity.js';
import { ClientMetadataDto } from './client-metadata.dto.js';
import { AccessTokenTtlField } from '../../tokens/access-tokens/access-token-ttl.field.js';

/** POST /admin/clients: RFC 7591 metadata plus admin-only settings. */
export class CreateClientDto extends ClientMetadataDto {
  @ApiProperty({ maxLength: 200, example: 'Example app' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  client_name!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'RFC 8707 resource indicators (audiences) the client may request tokens for',
    example: ['https://api.example.com'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  @Matches(/^[a-zA-Z][a-zA-Z0-9+.-]*:[^#\s]+$/, {
    each: true,
    message: 'allowed_resources must contain absolute URIs without a fragment',
  })
  allowed_resources?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Resource (registered at /admin/resources) used as the audience when a request names none; null: the one implied by the scopes, else DEFAULT_AUDIENCE or the issuer',
    example: 'https://api.example.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^[a-zA-Z][a-zA-Z0-9+.-]*:[^#\s]+$/, {
    message: 'default_resource must be an absolute URI without a fragment',
  })
  default_resource?: string | null;

  @AccessTokenTtlField()
  access_token_ttl?: number | null;

  @ApiPropertyOptional({
    minimum: 60,
    maximum: 31536000,
    nullable: true,
    description: 'Seconds; null: server default',
  })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(31536000)
  refresh_token_ttl?: number | null;

  @ApiPropertyOptional({ enum: ['jwt', 'opaque'], default: 'jwt' })
  @IsOptional()
  @IsIn(['jwt', 'opaque'])
  access_token_format?: AccessTokenFormat;

  @ApiPropertyOptional({ default: true, description: 'Always true for public clients' })
  @IsOptional()
  @IsBoolean()
  refresh_token_rotation?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Resource-server client allowed to call /introspect' })
  @IsOptional()
  @IsBoolean()
  can_introspect?: boolean;

  @ApiPropertyOptional({ default: false, description: 'First-party clients skip the consent page' })
  @IsOptional()
  @IsBoolean()
  first_party?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
