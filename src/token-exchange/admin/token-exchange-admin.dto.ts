import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
} from 'class-validator';
import type { JWK } from 'jose';
import type { TokenExchangePolicyEntity } from '../token-exchange-policy.entity.js';
import type { TrustedIssuerEntity } from '../trusted-issuer.entity.js';

/** Subject token types a policy can allow. */
export const POLICY_TOKEN_TYPES = ['access_token', 'refresh_token', 'id_token', 'jwt'] as const;

export class TokenExchangePolicyDto {
  @ApiProperty({
    enum: POLICY_TOKEN_TYPES,
    isArray: true,
    description: 'Subject token types the client may exchange.',
  })
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(POLICY_TOKEN_TYPES, { each: true })
  subject_token_types!: (typeof POLICY_TOKEN_TYPES)[number][];

  @ApiProperty({
    type: [String],
    description: 'Trusted issuers (their issuer value) whose JWTs the client may present.',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 512, { each: true })
  issuers!: string[];

  @ApiProperty({
    type: [String],
    description: 'Resources / audiences exchanged tokens may target (absolute URIs).',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { each: true })
  audiences!: string[];

  @ApiProperty({ description: 'May exchange with an actor (the issued token carries act).' })
  @IsBoolean()
  delegation!: boolean;

  @ApiProperty({ description: 'May exchange without an actor token and without act (impersonation).' })
  @IsBoolean()
  impersonation!: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      "May request refresh tokens by exchange (requested_token_type refresh_token), for subject tokens tied to a grant of this server. The new grant is a child of the subject's: revoking the subject's grant revokes it. The client also needs the refresh_token grant type.",
  })
  @IsOptional()
  @IsBoolean()
  refresh_tokens?: boolean;

  @ApiProperty({ description: 'May use the JWT bearer grant (RFC 7523) with assertions from `issuers`.' })
  @IsBoolean()
  jwt_bearer!: boolean;

  static from(p: TokenExchangePolicyEntity): TokenExchangePolicyDto & { client_id: string } {
    return {
      client_id: p.clientId,
      subject_token_types: p.subjectTokenTypes,
      issuers: p.issuers,
      audiences: p.audiences,
      delegation: p.delegation,
      impersonation: p.impersonation,
      refresh_tokens: p.refreshTokens,
      jwt_bearer: p.jwtBearer,
    };
  }
}

export class CreateTrustedIssuerDto {
  @ApiProperty({ description: 'The issuer value (`iss`) of its JWTs.' })
  @IsString()
  @Length(1, 512)
  issuer!: string;

  @ApiPropertyOptional({ description: 'Its public keys as a JWK Set (static keys).' })
  @IsOptional()
  @IsObject()
  jwks?: { keys: JWK[] };

  @ApiPropertyOptional({
    description:
      'Its JWKS URL (https; fetched through the SSRF-safe outbound fetcher). Give jwks or jwks_uri.',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @Length(1, 2048)
  jwks_uri?: string;

  @ApiProperty({
    description: 'Claim naming the owner: sub (owner id), or email / preferred_username (username).',
    default: 'sub',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/)
  subject_claim?: string;
}

export class TrustedIssuerDto {
  @ApiProperty() id!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ description: 'Key ids of the configured public keys.', type: [String] }) key_ids!: string[];
  @ApiProperty({ type: String, nullable: true }) jwks_uri!: string | null;
  @ApiProperty() subject_claim!: string;

  static from(i: TrustedIssuerEntity): TrustedIssuerDto {
    return {
      id: i.id,
      issuer: i.issuer,
      key_ids: (i.jwks?.keys ?? []).map((k) => k.kid ?? '').filter(Boolean),
      jwks_uri: i.jwksUri,
      subject_claim: i.subjectClaim,
    };
  }
}
