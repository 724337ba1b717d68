import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import type { ClientEntity } from '../../clients/client.entity.js';
import { InvalidClient, InvalidRequest } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { OutboundFetchError } from '../../outbound/outbound-fetch.error.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import type { ClientAuthMethodHandler, ClientCredentialsInput } from './client-auth-method.js';
import { ClientKeys } from './client-keys.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** R-CAUTH-10: asymmetric algorithms only; `none` and HS* are never accepted. */
export const ASSERTION_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
];
const CLOCK_SKEW_SECONDS = 30;
/** R-CAUTH-11: an assertion may not be valid for longer than this. */
const MAX_LIFETIME_SECONDS = 300;

const fail = (description: string, detail?: string): InvalidClient =>
  new InvalidClient(description, detail, 'none');

/**
 * RFC 7523 §2.2 / §3 client assertions (R-CAUTH-8..11): iss = sub = client_id; `aud` is this
 * server's issuer, as a string or a one-element array (rfc7523bis asks clients for the bare
 * string; the array form is still accepted for older clients, anything else is refused); `exp`
 * required and at most 5 minutes ahead; `jti` required and remembered until `exp`.
 */
@Injectable()
export class PrivateKeyJwtMethod implements ClientAuthMethodHandler {
  readonly method = 'private_key_jwt';

  constructor(
    private readonly keys: ClientKeys,
    private readonly config: AppConfig,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
  ) {}

  present(input: ClientCredentialsInput): boolean {
    return (
      input.form.get('client_assertion') !== undefined ||
      input.form.get('client_assertion_type') !== undefined
    );
  }

  claimedClientId(input: ClientCredentialsInput): string {
    if (input.form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
      throw new InvalidRequest(`client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
    }
    const assertion = input.form.get('client_assertion');
    if (assertion === undefined) {
      throw new InvalidRequest("missing required parameter 'client_assertion'");
    }
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      throw fail('client_assertion is not a valid JWT');
    }
    if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.iss !== claims.sub) {
      throw fail('client_assertion iss and sub must both be the client_id');
    }
    const bodyClientId = input.form.get('client_id');
    if (bodyClientId !== undefined && bodyClientId !== claims.sub) {
      throw fail('client_id does not match the client_assertion');
    }
    return claims.sub;
  }

  async verify(input: ClientCredentialsInput, client: ClientEntity): Promise<void> {
    const keys = this.keys.for(client);
    if (!keys) {
      throw fail('client has no usable registered keys');
    }
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(input.form.get('client_assertion') ?? '', keys, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.config.issuer,
        algorithms: ASSERTION_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (err) {
      if (err instanceof OutboundFetchError) {
        throw fail(`client keys could not be fetched from jwks_uri: ${err.message}`, err.code);
      }
      const detail = err instanceof joseErrors.JOSEError ? err.code : 'verification failed';
      throw fail('client_assertion is invalid', detail);
    }
    if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
      throw fail('client_assertion aud must be the issuer only');
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp as number;
    if (exp - now > MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
      throw fail('client_assertion expires too far in the future');
    }
    const jti = createHash('sha256').update(String(payload.jti)).digest('base64url');
    const ttl = Math.max(1, exp - now + CLOCK_SKEW_SECONDS);
    if (!(await this.store.setIfAbsent(`client-assertion:${client.clientId}:${jti}`, '1', ttl))) {
      throw fail('client_assertion has already been used');
    }
  }
}
