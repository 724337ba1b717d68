import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { StandardClaimsDto } from '../../oidc/standard-claims.js';

/** Only the fields given change; null clears display_name or email. */
export class UpdateOwnerDto {
  @ApiPropertyOptional({
    description: 'Name shown on the consent page; null clears it.',
    maxLength: 200,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  display_name?: string | null;

  @ApiPropertyOptional({
    description: 'Contact e-mail address; null clears it.',
    maxLength: 320,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ description: 'A disabled owner cannot log in.' })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    type: () => StandardClaimsDto,
    description:
      'OpenID Connect standard claims (UserInfo per granted scope); replaces the stored set, null clears it',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => StandardClaimsDto)
  claims?: StandardClaimsDto | null;
}
