import { Injectable } from '@nestjs/common';
import type { JWTVerifyGetKey } from 'jose';
import type { ClientEntity } from '../../clients/client.entity.js';
import { KeySetCache } from '../../outbound/key-set-cache.js';
import { OutboundFetcher } from '../../outbound/outbound-fetcher.js';

/**
 * The keys that verify a client's assertions, from its registered `jwks` or `jwks_uri` (fetched
 * through the SSRF-safe OutboundFetcher, so a jwks_uri on a private address is refused).
 */
@Injectable()
export class ClientKeys {
  private readonly sets: KeySetCache;

  constructor(outbound: OutboundFetcher) {
    this.sets = new KeySetCache(outbound, 10_000);
  }

  /** The client's key set, or null when it registered none (or an unusable one). */
  for(client: ClientEntity): JWTVerifyGetKey | null {
    const version = `${client.updatedAt?.getTime() ?? 0}|${client.jwksUri ?? ''}`;
    return this.sets.get(client.clientId, version, client);
  }
}
