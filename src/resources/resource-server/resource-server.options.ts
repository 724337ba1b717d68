import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { DPOP_ALGORITHMS } from './dpop-proof.js';

export type TokenValidationMode = 'jwt' | 'introspection' | 'auto';

/** Fetch-compatible function: every call to the authorization server goes through it. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface IntrospectionOptions {
  /** This resource server's own client at the authorization server (client_secret_basic). */
  clientId: string;
  clientSecret: string;
  /** Seconds a positive (active) answer may be reused; never beyond the token's exp. Default 30. */
  cacheTtlSeconds?: number;
  /** Most cached answers kept at once (oldest evicted first). Default 1000. */
  maxEntries?: number;
}

/** Remembers DPoP proof ids; `remember` is true the first time a key is seen (atomically). */
export interface DpopReplayStore {
  remember(key: string, ttlSeconds: number): Promise<boolean>;
}

/** RFC 9449 §7 at this resource server. */
export interface DpopOptions {
  /** Accept `Authorization: DPoP` with DPoP-bound tokens. Default true. */
  enabled?: boolean;
  /** Proof algorithms accepted (asymmetric only). Default ES256/384/512, EdDSA, PS256/384/512, RS256. */
  algorithms?: string[];
  /** Origin clients address this resource at, for `htu`. Default: the audience's origin. */
  origin?: string;
  /**
   * Where proof ids are remembered for replay detection. Default: in this process's memory
   * (one instance); give a shared store when several instances serve this resource.
   */
  replayStore?: DpopReplayStore;
  /** RFC 9449 §9 nonces: an HMAC secret (≥ 32 characters) shared by this resource's instances. */
  nonce?: { secret: string; periodSeconds?: number; required?: boolean };
}

/** What `ResourceServerModule.forRoot()` accepts. Only issuer and audience are required. */
export interface ResourceServerOptions {
  /** The authorization server's issuer identifier (RFC 8414); `iss` must equal it exactly. */
  issuer: string;
  /** This resource's identifier (RFC 8707 / RFC 9728 `resource`); `aud` must contain it. */
  audience: string;
  /** `realm` of the WWW-Authenticate challenge. Default: the audience. */
  realm?: string;
  /** Absolute URL of this resource's RFC 9728 metadata. Default: derived from the audience. */
  resourceMetadataUrl?: string;
  /** Human-readable `resource_name` in the RFC 9728 metadata. */
  resourceName?: string;
  /** `scopes_supported` in the RFC 9728 metadata. */
  scopesSupported?: string[];
  /** jwt (default): RFC 9068 JWTs checked locally; introspection: RFC 7662; auto: JWT-shaped → jwt. */
  mode?: TokenValidationMode;
  introspection?: IntrospectionOptions;
  /** Asymmetric JWS algorithms accepted. Default ES256, ES384, ES512, RS256, PS256, EdDSA. */
  algorithms?: string[];
  /** Leeway for exp/nbf/iat in seconds (at most 300). Default 30. */
  clockToleranceSeconds?: number;
  /** Accept `access_token` in a urlencoded body (never on GET/HEAD). Default false (OAuth 2.1 §5.1.2). */
  allowFormBody?: boolean;
  /** Seconds after a JWKS fetch before an unknown `kid` may trigger another one. Default 30. */
  jwksCooldownSeconds?: number;
  /** Seconds a fetched JWKS is trusted before it is refreshed. Default 600. */
  jwksCacheMaxAgeSeconds?: number;
  /** The issuer's JWKS URL; skips RFC 8414 discovery for JWT validation when set. */
  jwksUri?: string;
  /** The issuer's RFC 7662 endpoint; skips RFC 8414 discovery for introspection when set. */
  introspectionEndpoint?: string;
  /** Fixed keys instead of the issuer's jwks_uri (a key set, or a jose key resolver). */
  jwks?: JSONWebKeySet | JWTVerifyGetKey;
  /** Replaces global fetch for every call to the authorization server (in-process apps, tests). */
  fetch?: FetchLike;
  /** Milliseconds before a call to the authorization server is abandoned (503). Default 5000. */
  httpTimeoutMs?: number;
  /** Longest token accepted, in characters. Default 8192. */
  maxTokenLength?: number;
  /** DPoP-bound tokens (RFC 9449): accepted by default alongside Bearer tokens. */
  dpop?: DpopOptions;
}

/** Options known when the module is declared (they shape the module, not the validation). */
export interface ResourceServerModuleOptions {
  /**
   * true (default): the guard is an APP_GUARD, so every route of the app needs a token unless
   * marked @Public(). false: only routes with @Protected() (or @UseGuards(ResourceServerGuard)).
   */
  global?: boolean;
}

export interface ResourceServerAsyncOptions extends ResourceServerModuleOptions {
  /**
   * Path the RFC 9728 metadata is served at; must match the path derived from the factory's
   * audience (or its resourceMetadataUrl). Default /.well-known/oauth-protected-resource.
   */
  resourceMetadataPath?: string;
  imports?: import('@nestjs/common').ModuleMetadata['imports'];
  inject?: import('@nestjs/common').InjectionToken[];
  useFactory: (...args: never[]) => ResourceServerOptions | Promise<ResourceServerOptions>;
}

/** Options with every default applied. */
export interface ResolvedResourceServerOptions extends Required<
  Omit<
    ResourceServerOptions,
    | 'introspection'
    | 'jwks'
    | 'resourceName'
    | 'scopesSupported'
    | 'jwksUri'
    | 'introspectionEndpoint'
    | 'dpop'
  >
> {
  /** undefined when DPoP is disabled. */
  dpop?: {
    algorithms: string[];
    origin: string;
    replayStore?: DpopReplayStore;
    nonce?: DpopOptions['nonce'];
  };
  introspection?: Required<IntrospectionOptions>;
  jwks?: JSONWebKeySet | JWTVerifyGetKey;
  jwksUri?: string;
  introspectionEndpoint?: string;
  resourceName?: string;
  scopesSupported?: string[];
  /** Path of the RFC 9728 metadata document on this server. */
  resourceMetadataPath: string;
}

export const RESOURCE_SERVER_OPTIONS = Symbol('RESOURCE_SERVER_OPTIONS');

const DEFAULT_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'];
const DEFAULT_DPOP_ALGORITHMS = [...DPOP_ALGORITHMS];
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^ES256K$|^EdDSA$|^Ed25519$|^ML-DSA-(44|65|87)$/;

export class ResourceServerConfigError extends Error {}

function absoluteUrl(value: string, name: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error();
    }
    return url;
  } catch {
    throw new ResourceServerConfigError(`ResourceServerModule: ${name} must be an absolute http(s) URL`);
  }
}

/** RFC 9728 §3.1: the well-known segment is inserted between the host and the resource's path. */
export function metadataPathFor(resource: URL): string {
  const path = resource.pathname === '/' ? '' : resource.pathname.replace(/\/$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}

/** Applies defaults and refuses unsafe settings (symmetric or `none` algorithms, huge leeway). */
export function resolveOptions(options: ResourceServerOptions): ResolvedResourceServerOptions {
  absoluteUrl(options.issuer, 'issuer');
  const resource = absoluteUrl(options.audience, 'audience');
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const unsafe = algorithms.filter((alg) => !ASYMMETRIC.test(alg));
  if (algorithms.length === 0 || unsafe.length > 0) {
    throw new ResourceServerConfigError(
      `ResourceServerModule: only asymmetric algorithms are allowed (refused: ${unsafe.join(', ') || 'empty list'})`,
    );
  }
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
  if (clockToleranceSeconds < 0 || clockToleranceSeconds > 300) {
    throw new ResourceServerConfigError('ResourceServerModule: clockToleranceSeconds must be 0..300');
  }
  const dpopAlgorithms = options.dpop?.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  if (dpopAlgorithms.length === 0 || dpopAlgorithms.some((alg) => !ASYMMETRIC.test(alg))) {
    throw new ResourceServerConfigError(
      'ResourceServerModule: dpop.algorithms must be asymmetric algorithms',
    );
  }
  if (options.dpop?.nonce && options.dpop.nonce.secret.length < 32) {
    throw new ResourceServerConfigError(
      'ResourceServerModule: dpop.nonce.secret must be at least 32 characters',
    );
  }
  const dpop =
    options.dpop?.enabled === false
      ? undefined
      : {
          algorithms: dpopAlgorithms,
          origin: absoluteUrl(options.dpop?.origin ?? resource.origin, 'dpop.origin').origin,
          replayStore: options.dpop?.replayStore,
          nonce: options.dpop?.nonce,
        };
  const mode = options.mode ?? 'jwt';
  if (mode !== 'jwt' && !options.introspection) {
    throw new ResourceServerConfigError(`ResourceServerModule: mode ${mode} needs introspection credentials`);
  }
  const metadataPath = metadataPathFor(resource);
  const resourceMetadataUrl =
    options.resourceMetadataUrl ?? new URL(metadataPath, resource.origin).toString();
  absoluteUrl(resourceMetadataUrl, 'resourceMetadataUrl');
  return {
    issuer: options.issuer,
    audience: options.audience,
    realm: options.realm ?? options.audience,
    resourceMetadataUrl,
    resourceMetadataPath: new URL(resourceMetadataUrl).pathname,
    resourceName: options.resourceName,
    scopesSupported: options.scopesSupported,
    mode,
    introspection: options.introspection && {
      cacheTtlSeconds: 30,
      maxEntries: 1000,
      ...options.introspection,
    },
    algorithms,
    clockToleranceSeconds,
    allowFormBody: options.allowFormBody ?? false,
    jwksCooldownSeconds: options.jwksCooldownSeconds ?? 30,
    jwksCacheMaxAgeSeconds: options.jwksCacheMaxAgeSeconds ?? 600,
    jwks: options.jwks,
    jwksUri: options.jwksUri && absoluteUrl(options.jwksUri, 'jwksUri').href,
    introspectionEndpoint:
      options.introspectionEndpoint &&
      absoluteUrl(options.introspectionEndpoint, 'introspectionEndpoint').href,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    httpTimeoutMs: options.httpTimeoutMs ?? 5000,
    maxTokenLength: options.maxTokenLength ?? 8192,
    dpop,
  };
}
