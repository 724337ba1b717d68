import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CLIENT_POLICIES, type ClientPolicy } from '../resource.entity.js';
import { AccessTokenTtlField } from '../../../tokens/access-tokens/access-token-ttl.field.js';

export class ResourceScopeDto {
  @ApiProperty({ example: 'notes:read', description: 'RFC 6749 scope token' })
  @IsString()
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, {
    message: 'scopes.name must be a scope token (RFC 6749 §3.3)',
  })
  name!: string;

  @ApiProperty({ example: 'Read your notes', description: 'Shown on the consent page' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  description!: string;
}

/** POST /admin/resources. */
export class CreateResourceDto {
  @ApiProperty({
    example: 'https://api.example.com',
    description: 'RFC 8707 resource indicator: absolute URI, no fragment, no query, at most 2048 characters',
  })
  @IsString()
  identifier!: string;

  @ApiProperty({ maxLength: 200, example: 'Reports API' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: [ResourceScopeDto], description: 'Scopes this resource defines' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ResourceScopeDto)
  scopes?: ResourceScopeDto[];

  @ApiPropertyOptional({
    enum: ['jwt', 'opaque'],
    nullable: true,
    description: 'Access-token format for this audience; null: the client decides',
  })
  @IsOptional()
  @IsIn(['jwt', 'opaque'])
  access_token_format?: 'jwt' | 'opaque' | null;

  @AccessTokenTtlField()
  access_token_ttl?: number | null;

  @ApiPropertyOptional({
    enum: CLIENT_POLICIES,
    default: 'listed',
    description:
      'any: every registered client (dynamic ones included); listed: clients in listed_clients or naming the resource in their allowed_resources; first_party: first-party clients',
  })
  @IsOptional()
  @IsIn(CLIENT_POLICIES)
  client_policy?: ClientPolicy;

  @ApiPropertyOptional({ type: [String], description: 'Client ids allowed under the listed policy' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  listed_clients?: string[];
}

/** PATCH /admin/resources/:id: any subset of the create fields. */
export class UpdateResourceDto extends PartialType(CreateResourceDto) {}

export class ResourceResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() identifier!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [ResourceScopeDto] }) scopes!: ResourceScopeDto[];
  @ApiProperty({ enum: ['jwt', 'opaque'], nullable: true }) access_token_format!: 'jwt' | 'opaque' | null;
  @ApiProperty({ type: Number, nullable: true }) access_token_ttl!: number | null;
  @ApiProperty({ enum: CLIENT_POLICIES }) client_policy!: ClientPolicy;
  @ApiProperty({ type: [String] }) listed_clients!: string[];
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class ResourceListResponseDto {
  @ApiProperty({ type: [ResourceResponseDto] }) items!: ResourceResponseDto[];
  @ApiProperty() total!: number;
}

export class DeleteResourceResponseDto {
  @ApiProperty({ description: 'Refresh-token grants naming the resource that were revoked' })
  revoked_grants!: number;
}
