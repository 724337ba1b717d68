import { BadRequestException, HttpException, type Type } from '@nestjs/common';
import { adminValidationPipe } from '../common/http/validation.pipe.js';
import { OAuthError } from '../common/errors/oauth-error.js';
import { UsageError } from './command.js';

/** Validates a body exactly as the admin API does (same DTO, same pipe); errors become UsageError. */
export async function validateBody<T>(dto: Type<T>, body: unknown): Promise<T> {
  try {
    return (await adminValidationPipe().transform(body, { type: 'body', metatype: dto })) as T;
  } catch (err) {
    throw toUsageError(err);
  }
}

/** The admin API's 4xx errors as one CLI line. */
export function toUsageError(err: unknown): Error {
  if (err instanceof OAuthError) {
    return new UsageError(`${err.error}: ${err.description ?? ''}`.trim());
  }
  if (err instanceof BadRequestException || (err instanceof HttpException && err.getStatus() < 500)) {
    const response = err.getResponse() as { message?: unknown; error_description?: unknown };
    const detail = response.error_description ?? response.message ?? err.message;
    return new UsageError(
      Array.isArray(detail)
        ? detail.join('; ')
        : typeof detail === 'string'
          ? detail
          : JSON.stringify(detail),
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
