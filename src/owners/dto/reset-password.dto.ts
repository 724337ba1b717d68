import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../username-key.js';

export class ResetPasswordDto {
  @ApiProperty({
    description: 'The new password (stored as argon2id).',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    writeOnly: true,
  })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `password must be ${PASSWORD_MIN}..${PASSWORD_MAX} characters`,
  })
  password!: string;
}
