import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccessTokenFormat, GrantType, TokenEndpointAuthMethod } from '../client.entity.js';

/** A client as the admin API shows it: never a hash; the secret only right after it was issued. */
export class ClientResponseDto {
  @ApiProperty() client_id!: string;
  @ApiProperty() client_name!: string;
  @ApiProperty({ enum: ['confidential', 'public'] }) client_type!: 'confidential' | 'public';
  @ApiProperty() token_endpoint_auth_method!: TokenEndpointAuthMethod;
  @ApiProperty({ type: [String] }) redirect_uris!: string[];
  @ApiProperty({ type: [String] }) grant_types!: GrantType[];
  @ApiProperty({ type: [String] }) response_types!: string[];
  @ApiProperty() scope!: string;
  @ApiProperty({ type: [String] }) allowed_resources!: string[];
  @ApiProperty({ type: String, nullable: true }) default_resource!: string | null;
  @ApiProperty({ type: Object, nullable: true }) jwks!: { keys: Record<string, unknown>[] } | null;
  @ApiProperty({ type: String, nullable: true }) jwks_uri!: string | null;
  @ApiProperty({ type: Number, nullable: true }) access_token_ttl!: number | null;
  @ApiProperty({ type: Number, nullable: true }) refresh_token_ttl!: number | null;
  @ApiProperty({ enum: ['jwt', 'opaque'] }) access_token_format!: AccessTokenFormat;
  @ApiProperty() refresh_token_rotation!: boolean;
  @ApiProperty() can_introspect!: boolean;
  @ApiProperty() first_party!: boolean;
  @ApiProperty() disabled!: boolean;
  @ApiProperty() dynamically_registered!: boolean;
  @ApiPropertyOptional() client_uri?: string;
  @ApiPropertyOptional() logo_uri?: string;
  @ApiPropertyOptional() tos_uri?: string;
  @ApiPropertyOptional() policy_uri?: string;
  @ApiPropertyOptional({ type: [String] }) contacts?: string[];
  @ApiPropertyOptional() software_id?: string;
  @ApiPropertyOptional() software_version?: string;
  @ApiProperty({ description: 'ISO 8601' }) created_at!: string;
  @ApiProperty({ description: 'ISO 8601' }) updated_at!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When the previous secret stops working',
  })
  previous_secret_expires_at?: string | null;
  @ApiPropertyOptional({
    description: 'Only in create and rotate responses: store it now, it is never shown again',
  })
  client_secret?: string;
}

export class ClientListResponseDto {
  @ApiProperty({ type: [ClientResponseDto] }) items!: ClientResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
