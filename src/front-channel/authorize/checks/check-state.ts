import { isRepeated, param, type AuthorizeCheck } from '../authorize-context.js';
import { AuthorizePageError } from '../authorize-errors.js';

const MAX_STATE_LENGTH = 1024;

/**
 * R-AUTHZ-9: state is echoed verbatim. A repeated or oversized state cannot be echoed safely,
 * so it is reported on a page rather than by a redirect the client could not match.
 */
export const checkState: AuthorizeCheck = (ctx) => {
  if (isRepeated(ctx, 'state')) {
    throw new AuthorizePageError('state must not be provided twice');
  }
  const state = param(ctx, 'state');
  if (state !== undefined && state.length > MAX_STATE_LENGTH) {
    throw new AuthorizePageError(`state must be at most ${MAX_STATE_LENGTH} characters`);
  }
  ctx.state = state;
};
