import { OAuthError } from '../../common/errors/oauth-error.js';

/** An error shown as a page, never redirected (R-AUTHZ-7): the redirect URI cannot be trusted. */
export class AuthorizePageError extends OAuthError {
  constructor(description: string, status = 400, error = 'invalid_request') {
    super(status, error, description);
    this.allowRedirect = false;
  }
}

/** OIDC Core §3.1.2.6 codes that OAuth clients use with prompt=none. */
export class LoginRequired extends OAuthError {
  constructor(description = 'the owner must sign in') {
    super(400, 'login_required', description);
  }
}

export class ConsentRequired extends OAuthError {
  constructor(description = 'the owner must approve this client') {
    super(400, 'consent_required', description);
  }
}
