import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { MAX_PARAM_LENGTH, type AuthorizeCheck } from '../authorize-context.js';

/** RFC 8707 §2: resource is the one parameter that may repeat. */
const REPEATABLE = new Set(['resource']);

/** R-AUTHZ-2 / R-SEC-3: no parameter twice (except resource), none oversized. */
export const checkParams: AuthorizeCheck = (ctx) => {
  for (const [name, value] of Object.entries(ctx.params)) {
    if (Array.isArray(value) && !REPEATABLE.has(name)) {
      throw new InvalidRequest(`${name.slice(0, 40)} must not be provided twice`);
    }
    const values = Array.isArray(value) ? value : [value ?? ''];
    if (values.length > 10 || values.some((v) => v.length > MAX_PARAM_LENGTH)) {
      throw new InvalidRequest(`${name.slice(0, 40)} is too long`);
    }
  }
};
