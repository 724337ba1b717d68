import { PasswordField } from './password-field.decorator.js';

export class ResetPasswordDto {
  @PasswordField('The new password (stored as argon2id).')
  password!: string;
}
