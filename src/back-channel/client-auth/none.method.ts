import { Injectable } from '@nestjs/common';
import { InvalidClient } from '../../common/errors/oauth-error.js';
import type { ClientAuthMethodHandler, ClientCredentialsInput } from './client-auth-method.js';

/**
 * Public clients (R-CAUTH-6): client_id in the body and nothing else. The authenticator only
 * falls back to this method when no credential of any other method is present, so a public
 * client that sends a secret or assertion fails the registered-method check (invalid_client).
 */
@Injectable()
export class NoneMethod implements ClientAuthMethodHandler {
  readonly method = 'none';

  present(input: ClientCredentialsInput): boolean {
    return input.form.get('client_id') !== undefined;
  }

  claimedClientId(input: ClientCredentialsInput): string {
    const clientId = input.form.get('client_id');
    if (clientId === undefined) {
      throw new InvalidClient('client authentication required', undefined, 'none');
    }
    return clientId;
  }

  verify(): Promise<void> {
    return Promise.resolve();
  }
}
