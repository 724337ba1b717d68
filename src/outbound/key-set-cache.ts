import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { OutboundFetcher } from './outbound-fetcher.js';

/** Where a party's verification keys come from: a registered `jwks`, else its `jwks_uri`. */
export interface KeySource {
  jwks: { keys: object[] } | null;
  jwksUri: string | null;
}

const JWKS_TYPES = ['application/json', 'application/jwk-set+json'];

/**
 * Verification key sets of registered parties (clients, trusted issuers): the static `jwks`, or
 * `jwks_uri` through jose's remote set (which caches and rate-limits refetches), every fetch going
 * through the SSRF-safe OutboundFetcher. One entry per party, replaced when its `version` (its
 * registration's last change) moves; bounded by `maxEntries`.
 */
export class KeySetCache {
  private readonly cache = new Map<string, { version: string; keys: JWTVerifyGetKey }>();

  constructor(
    private readonly outbound: OutboundFetcher,
    private readonly maxEntries: number,
  ) {}

  /** The party's key set, or null when it registered none (or an unusable one). */
  get(id: string, version: string, source: KeySource): JWTVerifyGetKey | null {
    const hit = this.cache.get(id);
    if (hit?.version === version) {
      return hit.keys;
    }
    const keys = this.build(source);
    if (keys) {
      if (this.cache.size > this.maxEntries) {
        this.cache.clear();
      }
      this.cache.set(id, { version, keys });
    }
    return keys;
  }

  private build(source: KeySource): JWTVerifyGetKey | null {
    try {
      if (source.jwks && Array.isArray(source.jwks.keys) && source.jwks.keys.length > 0) {
        return createLocalJWKSet(source.jwks);
      }
      if (source.jwksUri) {
        return createRemoteJWKSet(new URL(source.jwksUri), {
          timeoutDuration: 2000,
          cooldownDuration: 30_000,
          cacheMaxAge: 10 * 60_000,
          [customFetch]: (url: string) => this.fetchJwks(url),
        });
      }
    } catch {
      return null;
    }
    return null;
  }

  private async fetchJwks(url: string): Promise<Response> {
    const res = await this.outbound.fetch(url, { accept: JWKS_TYPES, timeoutMs: 2000 });
    // jose accepts only 200; other statuses (204, 404...) carry no body it would read.
    const body = res.status === 200 ? new Uint8Array(res.body) : null;
    return new Response(body, { status: res.status, headers: res.headers });
  }
}
