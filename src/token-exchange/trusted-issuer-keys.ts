import { Injectable } from '@nestjs/common';
import type { JWTVerifyGetKey } from 'jose';
import { KeySetCache } from '../outbound/key-set-cache.js';
import { OutboundFetcher } from '../outbound/outbound-fetcher.js';
import type { TrustedIssuerEntity } from './trusted-issuer.entity.js';

/**
 * A trusted issuer's verification keys: its static `jwks`, or its `jwks_uri` fetched through the
 * SSRF-safe OutboundFetcher (private addresses refused unless OUTBOUND_ALLOW_PRIVATE).
 */
@Injectable()
export class TrustedIssuerKeys {
  private readonly sets: KeySetCache;

  constructor(outbound: OutboundFetcher) {
    this.sets = new KeySetCache(outbound, 1000);
  }

  for(issuer: TrustedIssuerEntity): JWTVerifyGetKey | null {
    return this.sets.get(issuer.id, `${issuer.updatedAt.getTime()}|${issuer.jwksUri ?? ''}`, issuer);
  }
}
