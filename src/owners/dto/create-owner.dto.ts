import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { StandardClaimsDto } from '../../oidc/standard-claims.js';
import { USERNAME_MAX, USERNAME_PATTERN } from '../username-key.js';
import { PasswordField } from './password-field.decorator.js';

export class CreateOwnerDto {
  @ApiProperty({
    description: 'Login name, unique case-insensitively (NFKC + lower case). Letters, digits and . _ @ + -.',
    minLength: 1,
    maxLength: USERNAME_MAX,
    example: 'alice',
  })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: `username must be 1..${USERNAME_MAX} letters, digits or . _ @ + -`,
  })
  username!: string;

  @PasswordField('Initial password (stored as argon2id).')
  password!: string;

  @ApiPropertyOptional({
    description: 'Name shown on the consent page.',
    maxLength: 200,
    example: 'Alice Liddell',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  display_name?: string;

  @ApiPropertyOptional({
    description: 'Contact e-mail address.',
    maxLength: 320,
    example: 'alice@example.com',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    type: () => StandardClaimsDto,
    description: 'OpenID Connect standard claims (UserInfo per granted scope)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StandardClaimsDto)
  claims?: StandardClaimsDto;
}
