import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/**
 * OIDC Core §3.1.2.1 login_hint (prefills the username on the login page) and ui_locales
 * (accepted; pages are English only). A hint longer than a username is dropped, not refused.
 */
export const checkHints: AuthorizeCheck = (ctx) => {
  const loginHint = param(ctx, 'login_hint');
  if (loginHint !== undefined && loginHint.length <= 100) {
    ctx.loginHint = loginHint;
  }
  const locales = param(ctx, 'ui_locales');
  if (locales !== undefined && !/^[A-Za-z0-9 -]*$/.test(locales)) {
    throw new InvalidRequest('ui_locales must be space-separated BCP47 language tags');
  }
};
