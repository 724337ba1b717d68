import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * OIDC Core §5.5 `claims`: not supported (metadata says claims_parameter_supported: false), so
 * a well-formed value is ignored; a value that is not a JSON object is invalid_request.
 */
export const checkClaimsParam: AuthorizeCheck = (ctx) => {
  const claims = param(ctx, 'claims');
  if (claims === undefined) {
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    throw new InvalidRequest('claims must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequest('claims must be a JSON object');
  }
};
