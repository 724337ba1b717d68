import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { OutboundFetcher } from '../outbound/outbound-fetcher.js';
import type { TrustedIssuerEntity } from './trusted-issuer.entity.js';

const JWKS_TYPES = ['application/json', 'application/jwk-set+json'];

/**
 * A trusted issuer's verification keys: its static `jwks`, or its `jwks_uri` fetched through the
 * SSRF-safe OutboundFetcher (private addresses refused unless OUTBOUND_ALLOW_PRIVATE), cached
 * and refetch-limited by jose's remote set. One entry per issuer, replaced when it is updated.
 */
@Injectable()
export class TrustedIssuerKeys {
  private readonly cache = new Map<string, { version: string; keys: JWTVerifyGetKey }>();

  constructor(private readonly outbound: OutboundFetcher) {}

  for(issuer: TrustedIssuerEntity): JWTVerifyGetKey | null {
    const version = `${issuer.updatedAt.getTime()}|${issuer.jwksUri ?? ''}`;
    const hit = this.cache.get(issuer.id);
    if (hit?.version === version) {
      return hit.keys;
    }
    const keys = this.build(issuer);
    if (keys) {
      if (this.cache.size > 1000) {
        this.cache.clear();
      }
      this.cache.set(issuer.id, { version, keys });
    }
    return keys;
  }

  private build(issuer: TrustedIssuerEntity): JWTVerifyGetKey | null {
    try {
      if (issuer.jwks && Array.isArray(issuer.jwks.keys) && issuer.jwks.keys.length > 0) {
        return createLocalJWKSet(issuer.jwks);
      }
      if (issuer.jwksUri) {
        return createRemoteJWKSet(new URL(issuer.jwksUri), {
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
    const body = res.status === 200 ? new Uint8Array(res.body) : null;
    return new Response(body, { status: res.status, headers: res.headers });
  }
}
