import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AuthorizationServerMetadataClient } from './authorization-server-metadata.js';
import { BoundedCache } from './bounded-cache.js';
import { ResourceServerError } from './resource-server.error.js';
import type { ResolvedResourceServerOptions } from './resource-server.options.js';
import { scopesOf, type TokenPrincipal } from './token-principal.js';

interface IntrospectionResponse {
  active?: unknown;
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  sub?: unknown;
  client_id?: unknown;
  scope?: unknown;
  token_type?: unknown;
  [claim: string]: unknown;
}

/** RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Basic encoding. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/**
 * RFC 7662 validation of opaque (or any) tokens with this resource server's own client
 * credentials (client_secret_basic). Active answers are cached briefly, keyed by the token's
 * SHA-256, never beyond the token's exp; inactive answers are never cached.
 */
export class IntrospectionVerifier {
  private readonly logger = new Logger('ResourceServer');
  private readonly cache: BoundedCache<TokenPrincipal>;

  constructor(
    private readonly options: ResolvedResourceServerOptions,
    private readonly metadata: AuthorizationServerMetadataClient,
  ) {
    this.cache = new BoundedCache(options.introspection?.maxEntries ?? 0);
  }

  async verify(token: string): Promise<TokenPrincipal> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(key);
    if (cached) {
      return cached;
    }
    const answer = await this.introspect(token);
    const principal = this.accept(answer);
    const exp = Number(answer.exp);
    const ttl = (this.options.introspection?.cacheTtlSeconds ?? 0) * 1000;
    this.cache.set(key, principal, Math.min(Date.now() + ttl, Number.isFinite(exp) ? exp * 1000 : 0));
    return principal;
  }

  private accept(answer: IntrospectionResponse): TokenPrincipal {
    const now = Math.floor(Date.now() / 1000);
    const leeway = this.options.clockToleranceSeconds;
    const audiences = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    const reject = (why: string): never => {
      throw ResourceServerError.invalidToken(why);
    };
    if (answer.active !== true) {
      reject('the access token is not active');
    }
    if (
      answer.token_type !== undefined &&
      (typeof answer.token_type !== 'string' || !/^(bearer|dpop|access_token)$/i.test(answer.token_type))
    ) {
      reject('the token is not an access token');
    }
    if (answer.iss !== undefined && answer.iss !== this.options.issuer) {
      reject("the access token's iss is not accepted");
    }
    if (!audiences.includes(this.options.audience)) {
      reject("the access token's aud is not accepted");
    }
    if (typeof answer.exp !== 'number' || answer.exp + leeway <= now) {
      reject('the access token has expired');
    }
    if (typeof answer.nbf === 'number' && answer.nbf - leeway > now) {
      reject('the access token is not yet valid');
    }
    if (typeof answer.sub !== 'string' || answer.sub === '') {
      reject('the access token has no subject');
    }
    return {
      sub: answer.sub as string,
      clientId: typeof answer.client_id === 'string' ? answer.client_id : undefined,
      scopes: scopesOf(answer.scope),
      claims: answer,
      via: 'introspection',
    };
  }

  private async introspect(token: string): Promise<IntrospectionResponse> {
    const credentials = this.options.introspection;
    const endpoint = this.options.introspectionEndpoint ?? (await this.metadata.get()).introspection_endpoint;
    if (!credentials || !endpoint) {
      this.logger.warn('no introspection_endpoint in the metadata, or no introspection credentials');
      throw ResourceServerError.unavailable();
    }
    const basic = Buffer.from(
      `${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`,
    ).toString('base64');
    let res: Response;
    try {
      res = await this.options.fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.httpTimeoutMs),
      });
    } catch (err) {
      this.logger.warn(`introspection at ${endpoint} failed: ${(err as Error).message}`);
      throw ResourceServerError.unavailable();
    }
    if (res.status !== 200) {
      // 401 here means *our* credentials were refused: a configuration fault, not the caller's.
      this.logger.warn(`introspection at ${endpoint} answered HTTP ${res.status}`);
      throw ResourceServerError.unavailable();
    }
    try {
      const body: unknown = await res.json();
      if (typeof body !== 'object' || body === null) {
        throw new Error('not a JSON object');
      }
      return body as IntrospectionResponse;
    } catch (err) {
      this.logger.warn(`introspection at ${endpoint} returned bad JSON: ${(err as Error).message}`);
      throw ResourceServerError.unavailable();
    }
  }
}
