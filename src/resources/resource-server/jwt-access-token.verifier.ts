import { KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthorizationServerMetadataClient } from './authorization-server-metadata.js';
import {
  hasCriticalExtensions,
  importPublicJwk,
  isTyp,
  keyFitsAlg,
  verifyCompactSignature,
} from './jws-verify.js';
import { ResourceServerError } from './resource-server.error.js';
import type { ResolvedResourceServerOptions } from './resource-server.options.js';
import { scopesOf, type TokenPrincipal } from './token-principal.js';

/** Key-lookup failures that mean "this token is bad", not "the issuer is unreachable". */
const TOKEN_KEY_ERRORS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported];

class KeySourceUnavailable extends Error {}

/**
 * RFC 9068 §4 validation of JWT access tokens (R-RS-2, R-RS-3): typ at+jwt, an allow-listed
 * asymmetric alg, a key from the issuer's jwks_uri, exact iss, aud containing this resource,
 * exp/nbf with a small leeway. Keys come from jose's remote JWKS: cached, refetched on an
 * unknown kid at most once per cooldown window, so a flood of bad kids cannot hammer the issuer.
 */
export class JwtAccessTokenVerifier {
  private readonly logger = new Logger('ResourceServer');
  private keys?: JWTVerifyGetKey;
  /** jose's resolved keys (CryptoKey or JWK objects it caches) → node:crypto KeyObjects. */
  private readonly converted = new WeakMap<object, KeyObject>();

  constructor(
    private readonly options: ResolvedResourceServerOptions,
    private readonly metadata: AuthorizationServerMetadataClient,
  ) {}

  async verify(token: string): Promise<TokenPrincipal> {
    const getKey = await this.keyResolver();
    try {
      const payload = await this.verifiedPayload(token, getKey);
      return {
        sub: String(payload.sub),
        clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
        scopes: scopesOf(payload.scope),
        claims: payload,
        via: 'jwt',
      };
    } catch (err) {
      throw this.toError(err);
    }
  }

  /**
   * jose resolves the key (kid and key-type matching, remote JWKS cache and cooldown); the
   * signature is checked synchronously with node:crypto on a KeyObject made once per key (ADR
   * 0007); then the claims, in the order and with the errors of jose's jwtVerify.
   */
  private async verifiedPayload(token: string, getKey: JWTVerifyGetKey): Promise<JWTPayload> {
    const parts = token.split('.');
    if (parts.length !== 3) {
      throw new errors.JWSInvalid('Invalid Compact JWS');
    }
    const header = decodeProtectedHeader(token);
    const payload = decodeJwt(token);
    const alg = header.alg;
    if (typeof alg !== 'string' || !this.options.algorithms.includes(alg)) {
      throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    }
    if (hasCriticalExtensions(header)) {
      throw new errors.JWSInvalid('unsupported critical header');
    }
    const resolved = await getKey(
      { ...header, alg },
      { protected: parts[0]!, payload: parts[1]!, signature: parts[2]! },
    );
    const key = await this.keyObject(resolved, alg);
    if (!key || !keyFitsAlg(key, alg) || !verifyCompactSignature(token, alg, key)) {
      throw new errors.JWSSignatureVerificationFailed();
    }
    this.checkClaims(header.typ, payload);
    return payload;
  }

  /** RFC 9068 §4 / jose's validateClaimsSet: typ, required claims, iss, aud, iat, nbf, exp. */
  private checkClaims(typ: unknown, payload: JWTPayload): void {
    const claim = (name: string, reason = 'check failed') =>
      new errors.JWTClaimValidationFailed(`"${name}" claim ${reason}`, payload, name, reason);
    if (!isTyp(typ, 'at+jwt')) {
      throw claim('typ', 'check_failed');
    }
    for (const name of ['iss', 'aud', 'exp', 'sub', 'iat']) {
      if (!(name in payload)) {
        throw claim(name, 'missing');
      }
    }
    if (payload.iss !== this.options.issuer) {
      throw claim('iss');
    }
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : payload.aud;
    const wanted = this.options.audience;
    if (!Array.isArray(audiences) || !audiences.some((aud) => aud === wanted)) {
      throw claim('aud');
    }
    const now = Math.floor(Date.now() / 1000);
    const tolerance = this.options.clockToleranceSeconds;
    if (typeof payload.iat !== 'number') {
      throw claim('iat', 'invalid');
    }
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + tolerance)) {
      throw claim('nbf', 'timestamp check failed');
    }
    if (typeof payload.exp !== 'number') {
      throw claim('exp', 'invalid');
    }
    if (payload.exp <= now - tolerance) {
      throw new errors.JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
    }
  }

  /** The resolver's key as a KeyObject, converted once per key (jose caches its imports). */
  private async keyObject(resolved: unknown, alg: string): Promise<KeyObject | undefined> {
    if (resolved instanceof KeyObject) {
      return resolved;
    }
    if (resolved instanceof Uint8Array || typeof resolved !== 'object' || resolved === null) {
      return undefined; // a symmetric secret: never for access tokens
    }
    let key = this.converted.get(resolved);
    if (!key) {
      key =
        'type' in resolved && 'algorithm' in resolved
          ? KeyObject.from(resolved as Parameters<typeof KeyObject.from>[0])
          : await importPublicJwk(resolved, alg);
      if (!key) {
        return undefined;
      }
      this.converted.set(resolved, key);
    }
    return key;
  }

  private toError(err: unknown): ResourceServerError {
    if (err instanceof ResourceServerError) {
      return err;
    }
    if (err instanceof KeySourceUnavailable) {
      return ResourceServerError.unavailable();
    }
    if (err instanceof errors.JWTExpired) {
      return ResourceServerError.invalidToken('the access token has expired');
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      return ResourceServerError.invalidToken(
        err.claim === 'nbf'
          ? 'the access token is not yet valid'
          : `the access token's ${err.claim} is not accepted`,
      );
    }
    if (err instanceof errors.JOSEError || err instanceof TypeError || err instanceof SyntaxError) {
      return ResourceServerError.invalidToken('the access token is invalid');
    }
    this.logger.warn(`unexpected verification failure: ${(err as Error).name}`);
    return ResourceServerError.invalidToken('the access token is invalid');
  }

  private async keyResolver(): Promise<JWTVerifyGetKey> {
    if (this.keys) {
      return this.keys;
    }
    const configured = this.options.jwks;
    if (configured) {
      this.keys = typeof configured === 'function' ? configured : createLocalJWKSet(configured);
      return this.keys;
    }
    const jwksUri = this.options.jwksUri ?? (await this.metadata.get()).jwks_uri;
    if (!jwksUri) {
      this.logger.warn('the authorization server metadata has no jwks_uri');
      throw ResourceServerError.unavailable();
    }
    const fetchFn = this.options.fetch;
    const remote = createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: this.options.jwksCooldownSeconds * 1000,
      cacheMaxAge: this.options.jwksCacheMaxAgeSeconds * 1000,
      timeoutDuration: this.options.httpTimeoutMs,
      [customFetch]: (url, init) => fetchFn(url, init),
    });
    this.keys = async (header, input) => {
      try {
        return await remote(header, input);
      } catch (err) {
        if (TOKEN_KEY_ERRORS.some((type) => err instanceof type)) {
          throw err;
        }
        this.logger.warn(`JWKS fetch from ${jwksUri} failed: ${(err as Error).message}`);
        throw new KeySourceUnavailable();
      }
    };
    return this.keys;
  }
}
