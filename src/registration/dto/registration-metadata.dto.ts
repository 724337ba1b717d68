import { Allow, IsOptional, IsString, MaxLength } from 'class-validator';
import { ClientMetadataDto } from '../../clients/dto/client-metadata.dto.js';

/**
 * RFC 7591 §2 registration request (and RFC 7592 §2.2 update request). Unknown members are
 * stripped, not refused (R-REG-2); wrong types are invalid_client_metadata naming the field.
 */
export class RegistrationMetadataDto extends ClientMetadataDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_name?: string;

  /** RFC 7592 PUT only: must equal the client's id. Ignored on POST (R-REG-9). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  client_id?: string;

  /** RFC 7592 PUT only: if sent, must match the current secret. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_secret?: string;

  /** OpenID Connect Registration §2: web or native; checked in application-type.ts. */
  @Allow()
  application_type?: unknown;
}
