import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ACCESS_TOKEN_TTL } from './access-token-limits.js';

/**
 * The optional `access_token_ttl` of a client or a resource: 30 s up to MAX_ACCESS_TOKEN_TTL, or
 * null. Listed in the order stacked property decorators run (bottom first), so validation
 * messages come out as they did when each DTO stacked them itself.
 */
export function AccessTokenTtlField(): PropertyDecorator {
  return applyDecorators(
    Max(MAX_ACCESS_TOKEN_TTL),
    Min(30),
    IsInt(),
    IsOptional(),
    ApiPropertyOptional({
      minimum: 30,
      maximum: MAX_ACCESS_TOKEN_TTL,
      nullable: true,
      description: 'Seconds; null: ACCESS_TOKEN_TTL',
    }),
  );
}
