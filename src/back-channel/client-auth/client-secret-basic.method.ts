import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../../clients/client.entity.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { InvalidClient } from '../../common/errors/oauth-error.js';
import type { ClientAuthMethodHandler, ClientCredentialsInput } from './client-auth-method.js';
import { SecretFailureLimiter } from './secret-failure-limiter.js';

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/** RFC 6749 Appendix B: `+` is a space, then %XX octets as UTF-8. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClient('invalid Basic credentials encoding');
  }
}

/**
 * RFC 6749 §2.3.1 / R-CAUTH-3: base64-decode, split at the FIRST colon, then form-url-decode
 * each half before comparing.
 */
export function parseBasic(header: string): { clientId: string; secret: string } {
  const match = BASIC.exec(header);
  if (!match?.[1]) {
    throw new InvalidClient('invalid Authorization header, expected Basic credentials');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new InvalidClient('invalid Basic credentials: no colon separator');
  }
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (!clientId) {
    throw new InvalidClient('invalid Basic credentials: empty client id');
  }
  return { clientId, secret };
}

@Injectable()
export class ClientSecretBasicMethod implements ClientAuthMethodHandler {
  readonly method = 'client_secret_basic';

  /** Parsed once per request (claimedClientId, then verify); gone with the request. */
  private readonly parsed = new WeakMap<ClientCredentialsInput, { clientId: string; secret: string }>();

  constructor(
    private readonly registry: ClientRegistry,
    private readonly limiter: SecretFailureLimiter,
  ) {}

  private credentials(input: ClientCredentialsInput): { clientId: string; secret: string } {
    let credentials = this.parsed.get(input);
    if (!credentials) {
      credentials = parseBasic(input.authorization ?? '');
      this.parsed.set(input, credentials);
    }
    return credentials;
  }

  present(input: ClientCredentialsInput): boolean {
    return input.authorization !== undefined;
  }

  claimedClientId(input: ClientCredentialsInput): string {
    return this.credentials(input).clientId;
  }

  async verify(input: ClientCredentialsInput, client: ClientEntity): Promise<void> {
    const { secret } = this.credentials(input);
    this.limiter.assertNotLocked(client.clientId, input.sourceAddress);
    if (!this.registry.verifySecret(client, secret)) {
      await this.limiter.recordFailure(client.clientId, input.sourceAddress);
      throw new InvalidClient('client authentication failed');
    }
  }
}
