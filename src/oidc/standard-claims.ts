import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import type { OwnerEntity } from '../owners/owner.entity.js';

/** OIDC Core §5.1 standard claims an operator manages per owner (admin API). */
export interface StandardClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  locale?: string;
  zoneinfo?: string;
  picture?: string;
}

/** Admin API body part: `claims` of POST/PATCH /admin/owners. */
export class StandardClaimsDto implements StandardClaims {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  given_name?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  family_name?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Default: the username' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  preferred_username?: string;

  @ApiPropertyOptional({ maxLength: 320, description: 'Default: the owner e-mail' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  email_verified?: boolean;

  @ApiPropertyOptional({ example: 'en-GB', description: 'BCP47 language tag' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/)
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_+\-/]{1,64}$/)
  zoneinfo?: string;

  @ApiPropertyOptional({ description: 'https URL of a profile picture' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2000)
  picture?: string;
}

export const STANDARD_CLAIM_NAMES = [
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'email',
  'email_verified',
  'locale',
  'zoneinfo',
  'picture',
] as const satisfies readonly (keyof StandardClaims)[];

/** OIDC Core §5.4: the claims each scope requests (only those Tessera keeps). */
const PROFILE_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'picture',
  'zoneinfo',
  'locale',
  'updated_at',
];
const EMAIL_CLAIMS = ['email', 'email_verified'];
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: PROFILE_CLAIMS,
  email: EMAIL_CLAIMS,
};

/** Every claim Tessera can return (claims_supported). */
export const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'amr',
  'sid',
  ...PROFILE_CLAIMS,
  ...EMAIL_CLAIMS,
];

/** Only the known, non-empty claims of a DTO (unknown members were already dropped by validation). */
export function pickStandardClaims(input: StandardClaims | null | undefined): StandardClaims | null {
  if (!input) {
    return null;
  }
  const out: Record<string, unknown> = {};
  for (const name of STANDARD_CLAIM_NAMES) {
    if (input[name] !== undefined && input[name] !== null) {
      out[name] = input[name];
    }
  }
  return out;
}

/** The owner's claims the granted scope maps to, with `sub` (R-OIDC-7/8). */
export function claimsFor(owner: OwnerEntity, scope: string): Record<string, unknown> {
  const stored: StandardClaims = owner.claims ?? {};
  const all: Record<string, unknown> = {
    ...stored,
    name: stored.name ?? owner.displayName ?? undefined,
    preferred_username: stored.preferred_username ?? owner.username,
    email: stored.email ?? owner.email ?? undefined,
    updated_at: Math.floor(owner.updatedAt.getTime() / 1000),
  };
  const result: Record<string, unknown> = { sub: owner.id };
  for (const granted of scope.split(' ')) {
    for (const name of SCOPE_CLAIMS[granted] ?? []) {
      if (all[name] !== undefined) {
        result[name] = all[name];
      }
    }
  }
  return result;
}
