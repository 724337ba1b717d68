import { OAuthError } from '../common/errors/oauth-error.js';

/**
 * A metadata-document client_id that cannot be used (policy, fetch failure, invalid document):
 * `invalid_client`, never redirected (R-MCP-6, R-AUTHZ-7). The token endpoint turns it into
 * its 401 invalid_client; the authorization endpoint shows it as a page.
 */
export class ClientMetadataDocumentError extends OAuthError {
  constructor(description: string, detail?: string) {
    super(400, 'invalid_client', description, detail);
    this.allowRedirect = false;
  }
}
