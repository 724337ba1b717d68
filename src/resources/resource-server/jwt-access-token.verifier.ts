import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthorizationServerMetadataClient } from './authorization-server-metadata.js';
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

  constructor(
    private readonly options: ResolvedResourceServerOptions,
    private readonly metadata: AuthorizationServerMetadataClient,
  ) {}

  async verify(token: string): Promise<TokenPrincipal> {
    const getKey = await this.keyResolver();
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        typ: 'at+jwt', // jose also accepts application/at+jwt (media type normalisation)
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['iss', 'aud', 'exp', 'sub', 'iat'],
      });
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
