import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * OIDC Core §3.1.2.1 id_token_hint: must be an unexpired ID token we issued to this client;
 * its subject is compared with the session in the flow (login_required with prompt=none when
 * another owner is signed in, R-OIDC-6).
 */
export const checkIdTokenHint: AuthorizeCheck = async (ctx, deps) => {
  const hint = param(ctx, 'id_token_hint');
  if (hint === undefined) {
    return;
  }
  const verified = deps.idTokenHints ? await deps.idTokenHints.verify(hint) : null;
  if (!verified || !verified.aud.includes(ctx.client?.clientId ?? '')) {
    throw new InvalidRequest('id_token_hint is not a valid, unexpired ID token issued to this client');
  }
  ctx.hintSubject = verified.sub;
};
