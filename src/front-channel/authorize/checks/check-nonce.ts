import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/** Longest nonce accepted (the bad-input bound; OIDC sets none). */
export const MAX_NONCE_LENGTH = 512;

/** OIDC Core §3.1.2.1 nonce: kept to be bound to the code and echoed in the ID token (R-OIDC-4). */
export const checkNonce: AuthorizeCheck = (ctx) => {
  const nonce = param(ctx, 'nonce');
  if (nonce === undefined) {
    return;
  }
  if (nonce.length > MAX_NONCE_LENGTH) {
    throw new InvalidRequest(`nonce must be at most ${MAX_NONCE_LENGTH} characters`);
  }
  ctx.nonce = nonce;
};
