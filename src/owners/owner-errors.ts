import { OAuthError } from '../common/errors/oauth-error.js';

/**
 * A resource owner failed to log in: unknown username, wrong password or disabled account,
 * deliberately indistinguishable. The login page catches it and re-renders the form.
 */
export class InvalidOwnerCredentials extends OAuthError {
  constructor(description = 'invalid username or password') {
    super(401, 'invalid_credentials', description);
    // RFC 9110 §15.5.2: a 401 carries a challenge; owners log in through a form.
    this.withHeader('WWW-Authenticate', 'Form realm="tessera"');
  }
}
