import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/** RFC 7636 §4.1: 43–128 unreserved characters (the same rule as the verifier). */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * R-PKCE-1..5: every client sends code_challenge with S256 (project default, OAuth 2.1
 * §7.5.2); plain is refused; an absent method means plain, hence refused too.
 */
export const checkPkce: AuthorizeCheck = (ctx) => {
  const challenge = param(ctx, 'code_challenge');
  if (!challenge) {
    throw new InvalidRequest('code challenge required (PKCE with S256)');
  }
  const method = param(ctx, 'code_challenge_method') ?? 'plain';
  if (method !== 'S256') {
    throw new InvalidRequest(`unsupported code_challenge_method transform: only S256 is supported`);
  }
  if (!PKCE_VALUE.test(challenge)) {
    throw new InvalidRequest('code_challenge must be 43-128 characters of [A-Za-z0-9-._~]');
  }
  ctx.codeChallenge = challenge;
};
