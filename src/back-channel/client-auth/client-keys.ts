import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { ClientEntity } from '../../clients/client.entity.js';
import { OutboundFetcher } from '../../outbound/outbound-fetcher.js';

interface Entry {
  version: string;
  keys: JWTVerifyGetKey;
}

const JWKS_TYPES = ['application/json', 'application/jwk-set+json'];

/**
 * The keys that verify a client's assertions, from its registered `jwks` or `jwks_uri`
 * (jose's remote set caches and rate-limits refetches; every fetch goes through the SSRF-safe
 * OutboundFetcher, so a jwks_uri on a private address is refused). One entry per client,
 * replaced when the registration changes.
 */
@Injectable()
export class ClientKeys {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly outbound: OutboundFetcher) {}

  /** The client's key set, or null when it registered none (or an unusable one). */
  for(client: ClientEntity): JWTVerifyGetKey | null {
    const version = `${client.updatedAt?.getTime() ?? 0}|${client.jwksUri ?? ''}`;
    const hit = this.cache.get(client.clientId);
    if (hit?.version === version) {
      return hit.keys;
    }
    const keys = this.build(client);
    if (keys) {
      if (this.cache.size > 10_000) {
        this.cache.clear();
      }
      this.cache.set(client.clientId, { version, keys });
    }
    return keys;
  }

  private build(client: ClientEntity): JWTVerifyGetKey | null {
    try {
      if (client.jwks && Array.isArray(client.jwks.keys) && client.jwks.keys.length > 0) {
        return createLocalJWKSet(client.jwks);
      }
      if (client.jwksUri) {
        return createRemoteJWKSet(new URL(client.jwksUri), {
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
