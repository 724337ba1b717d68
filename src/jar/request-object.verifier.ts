import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ClientKeys } from '../back-channel/client-auth/client-keys.js';
import { ASSERTION_ALGORITHMS } from '../back-channel/client-auth/private-key-jwt.method.js';
import type { ClientEntity } from '../clients/client.entity.js';
import { OAuthError } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';

const CLOCK_SKEW_SECONDS = 30;
/** A request object may not be valid for longer than this (exp − now). */
const MAX_LIFETIME_SECONDS = 3600;
const MAX_LENGTH = 16_384;
/** JWT claims that are not authorization request parameters. */
const JWT_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sub']);

/** RFC 9101 §6.3 error: shown as a page (the redirect URI is inside the object, unverified). */
export class InvalidRequestObject extends OAuthError {
  constructor(description: string, detail?: string) {
    super(400, 'invalid_request_object', description, detail);
    this.allowRedirect = false;
  }
}

/**
 * RFC 9101 signed request objects: signed with the client's registered keys under the same
 * allow-list and key resolution as private_key_jwt (never `none` or a MAC), `iss` the client,
 * `aud` this issuer, `exp` required and bounded, `nbf` honoured, `jti` single use. Returns the
 * authorization request parameters it carries (strings; `resource` may be an array).
 */
@Injectable()
export class RequestObjectVerifier {
  constructor(
    private readonly keys: ClientKeys,
    private readonly config: AppConfig,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
  ) {}

  async verify(jwt: string, client: ClientEntity): Promise<Record<string, string | string[]>> {
    if (jwt.length > MAX_LENGTH) {
      throw new InvalidRequestObject('the request object is too large');
    }
    const keys = this.keys.for(client);
    if (!keys) {
      throw new InvalidRequestObject('the client has no registered keys to sign request objects with');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        issuer: client.clientId,
        audience: this.config.issuer,
        algorithms: ASSERTION_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (err) {
      const detail = err instanceof joseErrors.JOSEError ? err.code : 'verification failed';
      throw new InvalidRequestObject(
        'the request object is invalid, expired or not signed by the client',
        detail,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp as number;
    if (exp - now > MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
      throw new InvalidRequestObject('the request object expires too far in the future');
    }
    const params: Record<string, string | string[]> = Object.create(null) as Record<
      string,
      string | string[]
    >;
    for (const [name, value] of Object.entries(payload)) {
      if (JWT_CLAIMS.has(name)) {
        continue;
      }
      const ok =
        typeof value === 'string' ||
        (name === 'resource' && Array.isArray(value) && value.every((v) => typeof v === 'string'));
      if (!ok) {
        throw new InvalidRequestObject(`request object member ${name.slice(0, 40)} must be a string`);
      }
      params[name] = value;
    }
    if (params.client_id !== undefined && params.client_id !== client.clientId) {
      throw new InvalidRequestObject('the request object client_id does not match');
    }
    if (params.request !== undefined || params.request_uri !== undefined) {
      throw new InvalidRequestObject('a request object must not contain request or request_uri');
    }
    const jti = createHash('sha256').update(String(payload.jti)).digest('base64url');
    const ttl = Math.max(1, exp - now + CLOCK_SKEW_SECONDS);
    if (!(await this.store.setIfAbsent(`request-object:${client.clientId}:${jti}`, '1', ttl))) {
      throw new InvalidRequestObject('the request object has already been used');
    }
    return { ...params, client_id: client.clientId };
  }
}
