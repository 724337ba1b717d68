import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

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
}
