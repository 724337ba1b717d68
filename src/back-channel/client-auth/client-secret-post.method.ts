import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../../clients/client.entity.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { InvalidClient } from '../../common/errors/oauth-error.js';
import type { ClientAuthMethodHandler, ClientCredentialsInput } from './client-auth-method.js';
import { SecretFailureLimiter } from './secret-failure-limiter.js';

/** RFC 6749 §2.3.1 / R-CAUTH-2: client_id and client_secret in the form body. */
@Injectable()
export class ClientSecretPostMethod implements ClientAuthMethodHandler {
  readonly method = 'client_secret_post';

  constructor(
    private readonly registry: ClientRegistry,
    private readonly limiter: SecretFailureLimiter,
  ) {}

  present(input: ClientCredentialsInput): boolean {
    return input.form.get('client_secret') !== undefined;
  }

  claimedClientId(input: ClientCredentialsInput): string {
    const clientId = input.form.get('client_id');
    if (clientId === undefined) {
      throw new InvalidClient('client_id is required with client_secret', undefined, 'none');
    }
    return clientId;
  }

  async verify(input: ClientCredentialsInput, client: ClientEntity): Promise<void> {
    this.limiter.assertNotLocked(client.clientId, input.sourceAddress);
    if (!this.registry.verifySecret(client, input.form.get('client_secret') ?? '')) {
      await this.limiter.recordFailure(client.clientId, input.sourceAddress);
      throw new InvalidClient('client authentication failed', undefined, 'none');
    }
  }
}
