import type { ValidationError } from 'class-validator';
import { InvalidRequest } from './oauth-error.js';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${parent ? parent + '.' : ''}${m}` : `${path}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** ValidationPipe errors become invalid_request naming each bad field. */
export function validationExceptionFactory(errors: ValidationError[]): InvalidRequest {
  return new InvalidRequest(flatten(errors).join('; ').replace(/["\\]/g, "'"));
}
