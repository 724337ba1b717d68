import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../username-key.js';

/** A write-only owner password field with the password policy (length bounds). */
export function PasswordField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true }),
    IsString(),
    Length(PASSWORD_MIN, PASSWORD_MAX, {
      message: `password must be ${PASSWORD_MIN}..${PASSWORD_MAX} characters`,
    }),
  );
}
