import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import type { TokenEndpointAuthMethod } from '../client.entity.js';
import type { SigningAlg } from '../../keys/signing-key.entity.js';
import { AUTH_METHODS } from '../client-metadata.rules.js';

const URL_OPTIONS = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };

/**
 * RFC 7591 §2 client metadata (wire format, snake_case), shared by the admin API and dynamic
 * registration (client_name is declared by each subclass). Types and sizes are checked here; protocol rules (grant types, redirect URIs,
 * keys, scope) live in client-metadata.rules.ts so both surfaces apply the same ones.
 */
export class ClientMetadataDto {
  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com/callback'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  redirect_uris?: string[];

  @ApiPropertyOptional({
    type: [String],
    enum: ['authorization_code', 'refresh_token', 'client_credentials'],
    default: ['authorization_code'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  grant_types?: string[];

  @ApiPropertyOptional({
    type: [String],
    enum: ['code'],
    description: 'Default: ["code"] with authorization_code, else []',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  response_types?: string[];

  @ApiPropertyOptional({ enum: AUTH_METHODS, default: 'client_secret_basic' })
  @IsOptional()
  @IsIn(AUTH_METHODS)
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  @ApiPropertyOptional({
    description: 'Space-delimited subset of the configured SCOPES',
    example: 'openid profile',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  scope?: string;

  @ApiPropertyOptional({ description: 'JWK Set with public keys (exclusive with jwks_uri)', type: Object })
  @IsOptional()
  @IsObject()
  jwks?: { keys: Record<string, unknown>[] } | null;

  @ApiPropertyOptional({ description: 'https URL of the JWK Set (exclusive with jwks)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  jwks_uri?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  client_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  logo_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  tos_uri?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  policy_uri?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  contacts?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  software_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  software_version?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'OpenID RP-Initiated Logout §3.1: exact post-logout redirect URIs (redirect URI rules)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  post_logout_redirect_uris?: string[];

  @ApiPropertyOptional({ description: 'OpenID Back-Channel Logout §2.2: where logout tokens are POSTed' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  backchannel_logout_uri?: string;

  @ApiPropertyOptional({ description: 'Back-Channel Logout §2.2: logout tokens (and ID tokens) carry sid' })
  @IsOptional()
  @IsBoolean()
  backchannel_logout_session_required?: boolean;

  @ApiPropertyOptional({
    enum: ['ES256', 'RS256', 'EdDSA'],
    description: 'ID token algorithm (default ES256)',
  })
  @IsOptional()
  @IsIn(['ES256', 'RS256', 'EdDSA'])
  id_token_signed_response_alg?: SigningAlg;

  @ApiPropertyOptional({
    enum: ['ES256', 'RS256', 'EdDSA'],
    description: 'When set, UserInfo answers a signed JWT (application/jwt) instead of JSON',
  })
  @IsOptional()
  @IsIn(['ES256', 'RS256', 'EdDSA'])
  userinfo_signed_response_alg?: SigningAlg;

  @ApiPropertyOptional({ description: 'OIDC Registration §2: max_age applied when the request has none' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(999_999_999)
  default_max_age?: number;

  @ApiPropertyOptional({ description: 'OIDC Registration §2: auth_time always in ID tokens' })
  @IsOptional()
  @IsBoolean()
  require_auth_time?: boolean;
}
