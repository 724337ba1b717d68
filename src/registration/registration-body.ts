import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidClientMetadata, InvalidRequest } from '../common/errors/oauth-error.js';
import { RegistrationMetadataDto } from './dto/registration-metadata.dto.js';

/** RFC 7592 §2.2: members the client must not send in an update. */
const SERVER_ONLY = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
];

/**
 * Parses a registration body: it must be a JSON object (RFC 7591 §3.1); wrong types become
 * invalid_client_metadata naming the field; unknown members are dropped (R-REG-2).
 */
export function parseRegistrationBody(
  contentType: string | undefined,
  body: unknown,
  options: { update: boolean },
): RegistrationMetadataDto {
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new InvalidRequest('the request body must be application/json (RFC 7591 §3.1)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidClientMetadata('the request body must be a JSON object of client metadata');
  }
  if (options.update) {
    const forbidden = SERVER_ONLY.filter((key) => key in body);
    if (forbidden.length > 0) {
      throw new InvalidClientMetadata(
        `${forbidden.join(', ')} must not be sent in an update (RFC 7592 §2.2)`,
      );
    }
  }
  const dto = plainToInstance(RegistrationMetadataDto, body);
  const errors = validateSync(dto, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const fields = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new InvalidClientMetadata(fields.join('; ').replace(/["\\]/g, "'"));
  }
  return dto;
}

/** RFC 6750 §2.1: the credential of an `Authorization: Bearer <token>` header, else null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  return match?.[1] ?? null;
}
